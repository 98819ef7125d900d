{{- define "common.name" }}sub-def{{ end -}}
