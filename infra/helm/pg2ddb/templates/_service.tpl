{{/*
One pg2ddb service: ServiceAccount, Deployment, Service (metrics only) and PodDisruptionBudget.
Call with (dict "root" $ "component" "writer" "values" .Values.writer "env" (include ...) "mapping" true).
Each service has its own image tag, replicas and resources, so `helm upgrade --set writer.image.tag=X`
changes the writer's pod template and nothing else.
*/}}
{{- define "pg2ddb.service" -}}
{{- $ctx := dict "root" .root "component" .component "image" .values.image "values" .values -}}
{{- $name := include "pg2ddb.componentName" $ctx -}}
{{- if .values.serviceAccount.create }}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "pg2ddb.serviceAccountName" $ctx }}
  labels: {{- include "pg2ddb.labels" $ctx | nindent 4 }}
  {{- with .values.serviceAccount.annotations }}
  annotations: {{- toYaml . | nindent 4 }}
  {{- end }}
automountServiceAccountToken: false
---
{{- end }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $name }}
  labels: {{- include "pg2ddb.labels" $ctx | nindent 4 }}
spec:
  replicas: {{ .values.replicas }}
  revisionHistoryLimit: 5
  selector:
    matchLabels: {{- include "pg2ddb.selectorLabels" $ctx | nindent 6 }}
  strategy:
    type: RollingUpdate
    rollingUpdate: { maxUnavailable: 0, maxSurge: 1 }
  template:
    metadata:
      labels: {{- include "pg2ddb.podLabels" $ctx | nindent 8 }}
      annotations:
        {{- if .mapping }}
        # A changed mapping rolls the services that read it.
        checksum/mapping: {{ include "pg2ddb.mappingContent" .root | sha256sum }}
        {{- end }}
        {{- with .values.podAnnotations }}{{ toYaml . | nindent 8 }}{{ end }}
    spec:
      serviceAccountName: {{ include "pg2ddb.serviceAccountName" $ctx }}
      {{- with .root.Values.image.pullSecrets }}
      imagePullSecrets: {{- toYaml . | nindent 8 }}
      {{- end }}
      # Longer than the service's own drain timeout: SIGTERM → in-flight batches finish → offsets
      # committed → exit, before the kubelet's SIGKILL.
      terminationGracePeriodSeconds: {{ add .values.drainTimeoutSeconds 15 }}
      securityContext: {{- toYaml .root.Values.podSecurityContext | nindent 8 }}
      containers:
        - name: {{ .component }}
          image: {{ include "pg2ddb.image" $ctx | quote }}
          imagePullPolicy: {{ .root.Values.image.pullPolicy }}
          securityContext: {{- toYaml .root.Values.containerSecurityContext | nindent 12 }}
          ports:
            - { name: http, containerPort: {{ .values.httpPort }}, protocol: TCP }
            {{- with .adminPort }}
            - { name: admin, containerPort: {{ . }}, protocol: TCP }
            {{- end }}
          env:
            - name: PG2DDB_HTTP_PORT
              value: {{ .values.httpPort | toString | quote }}
            - name: PG2DDB_LOG_LEVEL
              value: {{ .values.logLevel | quote }}
            {{- include "pg2ddb.commonEnv" $ctx | nindent 12 }}
            {{- if .mapping }}
            - name: PG2DDB_MAPPING_FILE
              value: /etc/pg2ddb/mapping/mapping.yaml
            {{- end }}
            {{- .env | nindent 12 }}
            {{- include "pg2ddb.extraEnv" $ctx | nindent 12 }}
          startupProbe:
            httpGet: { path: /health/live, port: http }
            periodSeconds: 2
            failureThreshold: 60
          livenessProbe:
            httpGet: { path: /health/live, port: http }
            periodSeconds: 10
            timeoutSeconds: 3
            failureThreshold: 3
          readinessProbe:
            httpGet: { path: /health/ready, port: http }
            periodSeconds: 5
            timeoutSeconds: 3
            failureThreshold: 2
          resources: {{- toYaml .values.resources | nindent 12 }}
          volumeMounts:
            - { name: tmp, mountPath: /tmp }
            {{- if .mapping }}
            - { name: mapping, mountPath: /etc/pg2ddb/mapping, readOnly: true }
            {{- end }}
      volumes:
        - name: tmp
          emptyDir: { sizeLimit: 64Mi }
        {{- if .mapping }}
        - name: mapping
          configMap: { name: {{ include "pg2ddb.mappingConfigMap" .root }} }
        {{- end }}
      {{- with .values.nodeSelector }}
      nodeSelector: {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .values.tolerations }}
      tolerations: {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .values.affinity }}
      affinity: {{- toYaml . | nindent 8 }}
      {{- end }}
---
# Metrics only (/metrics for the ServiceMonitor); the NetworkPolicy admits the monitoring namespace.
apiVersion: v1
kind: Service
metadata:
  name: {{ $name }}
  labels: {{- include "pg2ddb.labels" $ctx | nindent 4 }}
spec:
  type: ClusterIP
  selector: {{- include "pg2ddb.selectorLabels" $ctx | nindent 4 }}
  ports:
    - { name: http, port: 8080, targetPort: http, protocol: TCP }
{{- if .values.podDisruptionBudget.enabled }}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ $name }}
  labels: {{- include "pg2ddb.labels" $ctx | nindent 4 }}
spec:
  maxUnavailable: {{ .values.podDisruptionBudget.maxUnavailable }}
  selector:
    matchLabels: {{- include "pg2ddb.selectorLabels" $ctx | nindent 6 }}
{{- end }}
{{- end -}}
