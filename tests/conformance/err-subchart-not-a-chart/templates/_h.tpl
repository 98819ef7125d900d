{{- define "common.name" }}parent-def{{ end -}}
