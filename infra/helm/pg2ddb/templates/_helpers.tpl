{{/* Names, labels and images shared by every template. */}}

{{- define "pg2ddb.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "pg2ddb.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains (include "pg2ddb.name" .) .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name (include "pg2ddb.name" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* <fullname>-<component>, e.g. pg2ddb-writer. Call with (dict "root" $ "component" "writer"). */}}
{{- define "pg2ddb.componentName" -}}
{{- printf "%s-%s" (include "pg2ddb.fullname" .root) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "pg2ddb.selectorLabels" -}}
app.kubernetes.io/name: {{ include "pg2ddb.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* Labels of one component; the version label is the component's own image tag. */}}
{{- define "pg2ddb.labels" -}}
{{ include "pg2ddb.selectorLabels" . }}
app.kubernetes.io/part-of: pg2ddb
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{- if .image }}
app.kubernetes.io/version: {{ include "pg2ddb.imageTag" (dict "root" .root "image" .image) | quote }}
{{- end }}
{{- end -}}

{{/* Pod template labels: no chart version, so a chart upgrade alone rolls nothing. */}}
{{- define "pg2ddb.podLabels" -}}
{{ include "pg2ddb.selectorLabels" . }}
app.kubernetes.io/part-of: pg2ddb
{{- if .image }}
app.kubernetes.io/version: {{ include "pg2ddb.imageTag" (dict "root" .root "image" .image) | quote }}
{{- end }}
{{- end -}}

{{- define "pg2ddb.imageTag" -}}
{{- default .root.Chart.AppVersion .image.tag -}}
{{- end -}}

{{/* registry/repository:tag[@digest]. Call with (dict "root" $ "image" .Values.writer.image). */}}
{{- define "pg2ddb.image" -}}
{{- $repo := .image.repository -}}
{{- if .root.Values.image.registry -}}{{- $repo = printf "%s/%s" (trimSuffix "/" .root.Values.image.registry) $repo -}}{{- end -}}
{{- if .image.digest -}}
{{- printf "%s:%s@%s" $repo (include "pg2ddb.imageTag" .) .image.digest -}}
{{- else -}}
{{- printf "%s:%s" $repo (include "pg2ddb.imageTag" .) -}}
{{- end -}}
{{- end -}}

{{- define "pg2ddb.serviceAccountName" -}}
{{- if .values.serviceAccount.create -}}
{{- default (include "pg2ddb.componentName" .) .values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "pg2ddb.mappingConfigMap" -}}
{{- default (include "pg2ddb.componentName" (dict "root" . "component" "mapping")) .Values.mapping.existingConfigMap -}}
{{- end -}}

{{/* The mapping file's content: mapping.content, else the payments example shipped with the chart. */}}
{{- define "pg2ddb.mappingContent" -}}
{{- if .Values.mapping.content -}}
{{- .Values.mapping.content -}}
{{- else -}}
{{- .Files.Get "files/mapping.yaml" -}}
{{- end -}}
{{- end -}}

{{- define "pg2ddb.connectUrl" -}}
{{- printf "http://%s:8083" (include "pg2ddb.componentName" (dict "root" . "component" "connect")) -}}
{{- end -}}

{{/* Environment every pg2ddb service shares: Kafka, topics, logging, AWS. */}}
{{- define "pg2ddb.commonEnv" -}}
- name: PG2DDB_KAFKA_BROKERS
  value: {{ .root.Values.kafka.bootstrapServers | quote }}
- name: PG2DDB_KAFKA_CLIENT_ID
  value: {{ .root.Values.kafka.clientId | quote }}
- name: PG2DDB_TOPIC_PREFIX
  value: {{ .root.Values.topicPrefix | quote }}
- name: PG2DDB_LOG_FORMAT
  value: json
- name: PG2DDB_REDACT_VALUES
  value: {{ .root.Values.redactValues | default false | toString | quote }}
- name: AWS_REGION
  value: {{ .root.Values.aws.region | quote }}
{{- with .root.Values.aws.dynamoEndpoint }}
- name: PG2DDB_DYNAMO_ENDPOINT
  value: {{ . | quote }}
{{- end }}
{{- with .root.Values.aws.credentialsSecret }}
- name: AWS_ACCESS_KEY_ID
  valueFrom: { secretKeyRef: { name: {{ . | quote }}, key: AWS_ACCESS_KEY_ID } }
- name: AWS_SECRET_ACCESS_KEY
  valueFrom: { secretKeyRef: { name: {{ . | quote }}, key: AWS_SECRET_ACCESS_KEY } }
{{- end }}
{{- end -}}

{{/* Extra PG2DDB_* settings of one service (values.<service>.env), sorted for stable output. */}}
{{- define "pg2ddb.extraEnv" -}}
{{- range $name := keys .values.env | sortAlpha }}
- name: {{ $name }}
  value: {{ index $.values.env $name | toString | quote }}
{{- end }}
{{- end -}}
