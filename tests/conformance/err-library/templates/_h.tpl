{{- define "err-library.name" -}}x{{- end -}}
