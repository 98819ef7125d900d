{{- define "h.x" -}}[{{ . }}]{{- end -}}
{{- define "h.nested" -}}{{ include "h.x" . | upper }}{{- end -}}
{{- define "h.empty" }}{{ end -}}
