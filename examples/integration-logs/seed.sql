-- Deterministic demo data: {{rows}} integration logs from six services over the 30 days before
-- the current UTC day (the items expire 90 days after the call, so fixed dates in the past would
-- be expired on arrival). Every value derives from the row number and that day, so two runs on
-- the same day produce the same data; rows that already exist are skipped. About 1 in 12 calls
-- fails, half of those without a response (timeout); 1 in 5 has no application, 1 in 7 no
-- correlation id, and the others share a correlation id in threes. bigint arithmetic throughout:
-- (row number * prime) overflows integer beyond a few thousand rows.
INSERT INTO integration_logs (log_id, service_name, application_id, correlation_id, log_timestamp, http_method, endpoint,
                              http_status, is_success, duration_ms, request_payload, response_payload, error_message)
SELECT i                                                                    AS log_id,
       service                                                              AS service_name,
       application_id,
       CASE WHEN i % 7 = 0 THEN NULL ELSE md5('correlation-' || i / 3)::uuid END AS correlation_id,
       date_trunc('day', now(), 'UTC') - interval '30 days'
         + (i * 48271) % 2592000 * interval '1 second' + (i * 16807) % 1000000 * interval '1 microsecond' AS log_timestamp,
       method                                                               AS http_method,
       '/v1/' || resource || CASE WHEN method = 'GET' THEN '/' || (i * 31) % 100000 ELSE '' END AS endpoint,
       status                                                               AS http_status,
       NOT failed                                                           AS is_success,
       CASE WHEN failed AND status IS NULL THEN 30000 ELSE 20 + (i * 7919) % 1500 END AS duration_ms,
       CASE WHEN method = 'GET' THEN NULL
            ELSE jsonb_build_object('applicationId', application_id, 'amount', round(100 + (i * 2654435761) % 5000000 / 100.0, 2),
                                    'currency', 'USD') END                  AS request_payload,
       CASE WHEN NOT failed THEN jsonb_build_object('status', 'ok', 'reference', 'REF-' || lpad(i::text, 10, '0'))
            WHEN status IS NOT NULL THEN jsonb_build_object('error', jsonb_build_object('code', status, 'retryable', status >= 500))
       END                                                                  AS response_payload,
       CASE WHEN NOT failed THEN NULL
            WHEN status IS NULL THEN 'timed out after 30000 ms'
            ELSE 'HTTP ' || status || ' from ' || service END               AS error_message
FROM (
  SELECT i,
         (ARRAY['credit-bureau', 'payment-gateway', 'kyc-provider', 'document-signing', 'email-service', 'bank-verification'])[1 + (i / 5) % 6] AS service,
         (ARRAY['reports', 'charges', 'checks', 'envelopes', 'messages', 'accounts'])[1 + (i / 5) % 6] AS resource,
         (ARRAY['POST', 'GET', 'POST', 'PUT'])[1 + (i / 5) % 4]              AS method,
         CASE WHEN i % 5 = 0 THEN NULL ELSE 100000 + (i * 7919) % 20000 END AS application_id,
         i % 12 = 0                                                         AS failed,
         CASE WHEN i % 24 = 0 THEN NULL                                      -- timeout: no response
              WHEN i % 12 = 0 THEN (ARRAY[400, 422, 500, 502, 503])[1 + (i / 12) % 5]
              ELSE (ARRAY[200, 200, 201, 204])[1 + i % 4] END::smallint      AS status
  FROM generate_series(1::bigint, {{rows}}) AS i
) AS calls
ON CONFLICT DO NOTHING;

SELECT setval(pg_get_serial_sequence('integration_logs', 'log_id'), greatest((SELECT max(log_id) FROM integration_logs), 1));
