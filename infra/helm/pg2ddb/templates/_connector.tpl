{{/*
The Debezium connector's config, rendered from files/postgres-connector.json (a link to
infra/debezium/postgres-connector.json) exactly as `pg2ddb connector apply` renders it
(libs/kafka/src/connector-config.ts: renderConnectorConfig). test:k8s compares the two outputs.
The password is a config-provider reference, resolved by the Connect worker from its environment:
the secret never appears in the connector's config or Connect's REST API.
Returns {"name": ..., "config": {...}} as JSON.
*/}}
{{- define "pg2ddb.connectorConfig" -}}
{{- $v := .Values -}}
{{- $c := $v.connect.connector -}}
{{- $prefix := $v.topicPrefix | toString -}}
{{- $mapping := include "pg2ddb.mappingContent" . | fromYaml -}}
{{- $tables := list -}}
{{- range $mapping.entities -}}
{{- $tables = append $tables (printf "%s.%s" (default "public" .source.schema) .source.table) -}}
{{- end -}}
{{- if not $tables -}}{{- fail "the mapping has no source tables to capture (entities[].source)" -}}{{- end -}}
{{- $slug := regexReplaceAll "[^a-z0-9_]" (lower $prefix) "_" -}}
{{- $slot := default (printf "pg2ddb_%s" $slug | trunc 63) $c.slotName -}}
{{- $schema := (split "." (first $tables))._0 -}}
{{- $signal := default (printf "%s.%s" $schema (printf "pg2ddb_signal_%s" $slug | trunc 63)) $c.signalTable -}}
{{- $heartbeat := default (printf "%s.%s" $schema (printf "pg2ddb_heartbeat_%s" $slug | trunc 63)) $c.heartbeatTable -}}
{{- $heartbeatParts := split "." $heartbeat -}}
{{- $include := list -}}
{{- range (concat $tables (list $signal $heartbeat)) -}}
{{- $include = append $include (regexReplaceAll "([.*+?^${}()|\\[\\]\\\\])" . "\\${1}") -}}
{{- end -}}
{{- $values := dict
  "connector.name" (printf "pg2ddb-%s" $prefix)
  "database.hostname" ($v.postgres.host | toString)
  "database.port" ($v.postgres.port | toString)
  "database.user" ($v.postgres.debezium.user | toString)
  "database.password" "${env:PG2DDB_DEBEZIUM_PASSWORD}"
  "database.dbname" ($v.postgres.database | toString)
  "database.sslmode" (default "disable" $v.postgres.sslmode)
  "topic.prefix" $prefix
  "slot.name" $slot
  "publication.name" (default $slot $c.publicationName)
  "publication.autocreate.mode" (default "filtered" $c.publicationAutocreateMode)
  "table.include.list" (join "," $include)
  "signal.data.collection" $signal
  "incremental.snapshot.chunk.size" ($c.snapshotChunkSize | toString)
  "notification.sink.topic.name" (printf "%s.notifications" $prefix)
  "snapshot.mode" ($c.snapshotMode | toString)
  "topic.replication.factor" ($v.topics.changes.replicas | toString)
  "topic.partitions" ($v.topics.changes.partitions | toString)
  "topic.min.insync.replicas" ($v.topics.changes.minInsyncReplicas | toString)
  "topic.retention.ms" ($v.topics.changes.retentionMs | int64 | toString)
  "topic.max.message.bytes" ($v.topics.changes.maxEventBytes | int64 | toString)
  "producer.max.request.size" ($v.topics.changes.maxEventBytes | int64 | toString)
  "heartbeat.action.query" (printf "INSERT INTO \"%s\".\"%s\" (id, beat_at) VALUES (1, now()) ON CONFLICT (id) DO UPDATE SET beat_at = EXCLUDED.beat_at" $heartbeatParts._0 $heartbeatParts._1)
-}}
{{- $template := .Files.Get "files/postgres-connector.json" | fromJson -}}
{{- $config := dict -}}
{{- range $key, $raw := $template.config -}}
{{- $out := $raw -}}
{{- range $name := regexFindAll "\\$\\{[a-z.]+\\}" $raw -1 -}}
{{- $k := trimSuffix "}" (trimPrefix "${" $name) -}}
{{- if not (hasKey $values $k) -}}{{- fail (printf "connector template has an unknown placeholder %s" $name) -}}{{- end -}}
{{- $out = replace $name (get $values $k) $out -}}
{{- end -}}
{{- $_ := set $config $key $out -}}
{{- end -}}
{{- with $v.postgres.sslRootCert }}{{- $_ := set $config "database.sslrootcert" (toString .) -}}{{- end -}}
{{- dict "name" (get $values "connector.name") "config" $config | toJson -}}
{{- end -}}
