{{/*
The Jinja2 template of the validation-test CronJob. The worker renders it with Python
Jinja2 (sandboxed, strict undefined) and exactly these variables: backend_name,
test_name, resource_name, configmap_name, cron_schedule, node_condition_prefix.
Anything else must go through `| default(...)`, or the worker fails on the cluster.
Helm values are baked in here; the Jinja markers are emitted with backend-operator.jinja.
*/}}
{{- define "backend-operator.testRunnerCronJob" -}}
{{- $r := .Values.backendTestRunner -}}
{{- $pod := $r.podTemplate -}}
{{- $g := .Values.global -}}
{{- $j := "backend-operator.jinja" -}}
{{- $prefix := include $j "node_condition_prefix" -}}
{{- $testLabels := printf "%scomponent: backend-test\n%sbackend: %s\n%stest: %s" $prefix $prefix (include $j "backend_name") $prefix (include $j "test_name") -}}
{{- $image := printf "%s:%s" $pod.image.repository (default $g.osmoImageTag $pod.image.tag) -}}
{{- $mount := $r.volumes.testConfigMountPath -}}
apiVersion: batch/v1
kind: CronJob
metadata:
  name: {{ include $j "resource_name" }}
  labels:
    {{- $testLabels | nindent 4 }}
    {{- with $r.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  annotations:
    description: {{ include "backend-operator.testRunnerPlaceholders" $r.annotations.description | quote }}
    {{- with $r.annotations.scheduler }}
    scheduler: {{ . | quote }}
    {{- end }}
spec:
  schedule: {{ include $j (printf "cron_schedule | default(%s)" (toJson $r.cronJob.schedule)) | squote }}
  timeZone: {{ include $j (printf "timezone | default(%s)" (toJson $r.cronJob.timezone)) | squote }}
  startingDeadlineSeconds: {{ int64 $r.cronJob.startingDeadlineSeconds }}
  concurrencyPolicy: {{ $r.cronJob.concurrencyPolicy }}
  suspend: {{ $r.cronJob.suspend }}
  successfulJobsHistoryLimit: {{ int64 $r.cronJob.successfulJobsHistoryLimit }}
  failedJobsHistoryLimit: {{ int64 $r.cronJob.failedJobsHistoryLimit }}
  jobTemplate:
    metadata:
      labels:
        {{- $testLabels | nindent 8 }}
        {{- with $r.labels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      parallelism: {{ int64 $r.jobTemplate.parallelism }}
      completions: {{ int64 $r.jobTemplate.completions }}
      backoffLimit: {{ int64 $r.jobTemplate.backoffLimit }}
      activeDeadlineSeconds: {{ int64 $r.jobTemplate.activeDeadlineSeconds }}
      ttlSecondsAfterFinished: {{ int64 $r.jobTemplate.ttlSecondsAfterFinished }}
      completionMode: {{ $r.jobTemplate.completionMode }}
      suspend: {{ $r.jobTemplate.suspend }}
      template:
        metadata:
          labels:
            {{- $testLabels | nindent 12 }}
            {{- with merge (deepCopy $pod.labels) $r.labels }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          {{- with $pod.annotations }}
          annotations:
            {{- toYaml . | nindent 12 }}
          {{- end }}
        spec:
          serviceAccountName: {{ include "backend-operator.name" . }}-{{ $pod.serviceAccount }}
          automountServiceAccountToken: {{ $pod.automountServiceAccountToken }}
          restartPolicy: {{ $pod.restartPolicy }}
          terminationGracePeriodSeconds: {{ int64 $pod.terminationGracePeriodSeconds }}
          {{- with $pod.securityContext }}
          securityContext:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          {{- with $g.imagePullSecret }}
          imagePullSecrets:
            - name: {{ . }}
          {{- end }}
          {{- with merge (deepCopy $pod.nodeSelector) $g.nodeSelector }}
          nodeSelector:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          {{- with default $g.tolerations $pod.tolerations }}
          tolerations:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          {{- with $pod.affinity }}
          affinity:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          {{- with $pod.hostAliases }}
          hostAliases:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          initContainers:
            {{- /* fails the run early, with a clear log line, when the test config is missing or empty */}}
            - name: config-validator
              image: {{ $pod.initContainer.image | quote }}
              imagePullPolicy: {{ $pod.initContainer.imagePullPolicy }}
              command:
                - /bin/sh
                - -c
                - {{ printf "for f in %s/*; do test -s \"$f\" || { echo \"test config missing or empty: $f\"; exit 1; }; done" $mount | quote }}
              {{- with $pod.initContainer.resources }}
              resources:
                {{- toYaml . | nindent 16 }}
              {{- end }}
              {{- with $pod.containerSecurityContext }}
              securityContext:
                {{- toYaml . | nindent 16 }}
              {{- end }}
              volumeMounts:
                - name: {{ $r.volumes.testConfigName }}
                  mountPath: {{ $mount }}
                  readOnly: true
          containers:
            - name: test-runner
              image: {{ $image | quote }}
              imagePullPolicy: {{ $pod.image.pullPolicy }}
              {{- with $pod.container.args }}
              args:
                {{- toYaml . | nindent 16 }}
              {{- end }}
              env:
                - name: BACKEND
                  value: {{ include $j "backend_name" | squote }}
                - name: BACKEND_TEST_NAME
                  value: {{ include $j "test_name" | squote }}
                - name: NODE_CONDITION_PREFIX
                  value: {{ $prefix | squote }}
                - name: NAMESPACE
                  valueFrom:
                    fieldRef:
                      fieldPath: metadata.namespace
                - name: NODE_NAME
                  valueFrom:
                    fieldRef:
                      fieldPath: spec.nodeName
                - name: SERVICE_ACCOUNT
                  valueFrom:
                    fieldRef:
                      fieldPath: spec.serviceAccountName
                {{- range $key, $value := $r.env.additional }}
                - name: {{ $key }}
                  value: {{ toString $value | quote }}
                {{- end }}
              {{- with $pod.container.resources }}
              resources:
                {{- toYaml . | nindent 16 }}
              {{- end }}
              {{- with $pod.containerSecurityContext }}
              securityContext:
                {{- toYaml . | nindent 16 }}
              {{- end }}
              volumeMounts:
                - name: {{ $r.volumes.testConfigName }}
                  mountPath: {{ $mount }}
                  readOnly: true
                {{- /* a writable /tmp, since the root filesystem is read-only */}}
                - name: tmp
                  mountPath: /tmp
          volumes:
            - name: {{ $r.volumes.testConfigName }}
              configMap:
                name: {{ include "backend-operator.testRunnerPlaceholders" $r.configMap.nameTemplate | squote }}
                defaultMode: {{ int64 $r.configMap.defaultMode }}
                optional: {{ $r.configMap.optional }}
            - name: tmp
              emptyDir: {}
{{- end -}}
