{{/*
Helpers shared by the chart's templates. Every name starts with "backend-operator."
so that it cannot collide with a parent chart's helpers when this chart is a subchart.
*/}}

{{/*
Prefix of every object name: global.name, else the release name.
Kept as the existing chart builds it, so names survive `helm upgrade`.
*/}}
{{- define "backend-operator.name" -}}
{{- default .Release.Name .Values.global.name -}}
{{- end -}}

{{/* Chart name and version, the value of the helm.sh/chart label. */}}
{{- define "backend-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
Standard labels of every object. Takes (dict "ctx" $ "component" "listener").
These are not selectors: selectors use the `app` label alone, as the existing chart does,
because a Deployment's selector is immutable.
*/}}
{{- define "backend-operator.labels" -}}
helm.sh/chart: {{ include "backend-operator.chart" .ctx }}
app.kubernetes.io/name: {{ .ctx.Chart.Name }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
app.kubernetes.io/part-of: osmo
{{- with .component }}
app.kubernetes.io/component: {{ . }}
{{- end }}
{{- end -}}

{{/* metadata.labels of an object: (dict "ctx" $ "component" "worker"). */}}
{{- define "backend-operator.metadataLabels" -}}
labels:
  {{- include "backend-operator.labels" . | nindent 2 }}
{{- end -}}

{{/*
The OSMO service URL, failing the render with one sentence when it is unset:
the operator cannot start without it.
*/}}
{{- define "backend-operator.serviceUrl" -}}
{{- required "global.serviceUrl is not set: set it to the URL of your OSMO service, for example https://osmo.example.com" .Values.global.serviceUrl -}}
{{- end -}}

{{/*
Arguments both operator processes start with: the service, the login, the backend,
logging and metrics. Emitted as a YAML list; callers read it back with fromYamlArray.
Takes (dict "ctx" $ "svc" <service values>).
*/}}
{{- define "backend-operator.commonArgs" -}}
{{- $g := .ctx.Values.global -}}
{{- $args := list "--host" (include "backend-operator.serviceUrl" .ctx) -}}
{{- if eq $g.loginMethod "password" -}}
{{- if not $g.accountUsername -}}
{{- fail "global.accountUsername is not set: loginMethod password needs the OSMO user to log in as (or set global.loginMethod to token)" -}}
{{- end -}}
{{- $args = concat $args (list "--username" $g.accountUsername "--password_file" "/opt/osmo/secrets/password.txt") -}}
{{- else -}}
{{- $args = concat $args (list "--token_file" "/opt/osmo/secrets/token.txt") -}}
{{- end -}}
{{- $args = concat $args (list
      "--login_method" $g.loginMethod
      "--backend" $g.backendName
      "--namespace" $g.backendNamespace
      "--log_level" $g.logs.logLevel
      "--k8s_log_level" $g.logs.k8sLogLevel
      "--log_format" $g.logs.logFormat
      "--metrics_otel_collector_component" (printf "%s-%s" (include "backend-operator.name" .ctx) .svc.serviceName)
      "--metrics_otel_enable" "true") -}}
{{- toYaml $args -}}
{{- end -}}

{{/*
Pod annotation that changes whenever the login Secret's name or key changes, so that
the Deployments roll and the new Secret is mounted.
*/}}
{{- define "backend-operator.loginSecretChecksum" -}}
{{- $g := .Values.global -}}
{{- if eq $g.loginMethod "password" -}}
{{- printf "password/%s/%s" $g.accountPasswordSecret $g.accountPasswordSecretKey | sha256sum -}}
{{- else -}}
{{- printf "token/%s/%s" $g.accountTokenSecret $g.accountTokenSecretKey | sha256sum -}}
{{- end -}}
{{- end -}}

{{/*
The login Secret as a directory volume: a directory mount (unlike subPath) sees a
rotated Secret without a restart.
*/}}
{{- define "backend-operator.loginSecretVolume" -}}
{{- $g := .Values.global -}}
- name: osmo-secret
  secret:
    {{- if eq $g.loginMethod "password" }}
    secretName: {{ $g.accountPasswordSecret }}
    items:
      - key: {{ $g.accountPasswordSecretKey }}
        path: password.txt
    {{- else }}
    secretName: {{ $g.accountTokenSecret }}
    items:
      - key: {{ $g.accountTokenSecretKey }}
        path: token.txt
    {{- end }}
    defaultMode: 288
{{- end -}}

{{/*
One operator Deployment. Takes a dict:
  ctx: the root context; svc: services.backendListener or services.backendWorker;
  component: listener or worker; command: the program;
  args: the full argument list; progressInterval and progressFiles: what the probes check;
  extraVolumes and extraVolumeMounts: lists the caller adds.
*/}}
{{- define "backend-operator.deployment" -}}
{{- $ctx := .ctx -}}
{{- $svc := .svc -}}
{{- $g := $ctx.Values.global -}}
{{- $app := printf "%s-%s" (include "backend-operator.name" $ctx) $svc.serviceName -}}
{{- $labels := include "backend-operator.labels" (dict "ctx" $ctx "component" .component) | fromYaml -}}
{{- $probe := list "progress_check" "--progress_interval" .progressInterval "--progress_file" (join ":" .progressFiles) -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $app }}
  namespace: {{ $g.agentNamespace }}
  labels:
    app: {{ $app }}
    {{- toYaml $labels | nindent 4 }}
spec:
  replicas: 1
  selector:
    matchLabels:
      app: {{ $app }}
  template:
    metadata:
      labels:
        {{- /* the chart's labels win over extraPodLabels: `app` is the selector */}}
        {{- toYaml (merge (dict "app" $app) $labels (deepCopy $svc.extraPodLabels)) | nindent 8 }}
      annotations:
        {{- toYaml (merge (dict "checksum/login-secret" (include "backend-operator.loginSecretChecksum" $ctx)) (deepCopy $svc.extraPodAnnotations)) | nindent 8 }}
    spec:
      serviceAccountName: {{ include "backend-operator.name" $ctx }}-{{ $svc.serviceAccount }}
      {{- with $g.imagePullSecret }}
      imagePullSecrets:
        - name: {{ . }}
      {{- end }}
      {{- with $svc.podSecurityContext }}
      securityContext:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with merge (deepCopy $svc.nodeSelector) $g.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $g.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $svc.hostAliases }}
      hostAliases:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $svc.initContainers }}
      initContainers:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ $svc.serviceName }}
          image: {{ printf "%s/%s:%s" $g.osmoImageLocation $svc.imageName $g.osmoImageTag | quote }}
          imagePullPolicy: {{ $svc.imagePullPolicy }}
          command:
            - {{ .command }}
          args:
            {{- toYaml .args | nindent 12 }}
          {{- with $svc.extraEnvs }}
          env:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          ports:
            - name: metrics
              containerPort: 9464
              protocol: TCP
          livenessProbe:
            exec:
              command:
                {{- toYaml $probe | nindent 16 }}
            periodSeconds: 30
            timeoutSeconds: 15
            failureThreshold: 1
          startupProbe:
            exec:
              command:
                {{- toYaml $probe | nindent 16 }}
            initialDelaySeconds: {{ int $svc.startupProbe.initialDelaySeconds }}
            periodSeconds: {{ int $svc.startupProbe.periodSeconds }}
            timeoutSeconds: {{ int $svc.startupProbe.timeoutSeconds }}
            failureThreshold: {{ int $svc.startupProbe.failureThreshold }}
          {{- with $svc.resources }}
          resources:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          {{- with $svc.containerSecurityContext }}
          securityContext:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          volumeMounts:
            - name: osmo-secret
              mountPath: /opt/osmo/secrets
              readOnly: true
            {{- /* a writable /tmp, since the root filesystem is read-only */}}
            - name: tmp
              mountPath: /tmp
            {{- with concat $svc.volumeMounts .extraVolumeMounts }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
        {{- with $svc.extraSidecarContainers }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      volumes:
        {{- include "backend-operator.loginSecretVolume" $ctx | nindent 8 }}
        - name: tmp
          emptyDir: {}
        {{- with concat $svc.volumes .extraVolumes }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
{{- end -}}

{{/* "{{ expr }}" for the worker's Jinja templates, which Helm must pass through untouched. */}}
{{- define "backend-operator.jinja" -}}
{{- printf "{{ %s }}" . -}}
{{- end -}}

{{/*
A test-runner string with the existing chart's placeholders {{.TestName}} and
{{.BackendName}} turned into the Jinja variables the worker fills in.
*/}}
{{- define "backend-operator.testRunnerPlaceholders" -}}
{{- . | replace "{{.TestName}}" "{{ test_name }}" | replace "{{.BackendName}}" "{{ backend_name }}" -}}
{{- end -}}
