-- Deterministic demo data: {{rows}} payments over 2,000 customers and the last two years.
-- Values derive from the row number, so two runs produce the same data.
INSERT INTO payments (customerid, loanid, paymentamount, paymentdate, paymentmethod, paymentstatus,
                      transactionreference, processeddate, createddate, updateddate)
SELECT 1 + (i * 7919) % 2000                                              AS customerid,
       10000 + (i * 104729) % 5000                                        AS loanid,
       round((10 + ((i * 2654435761) % 500000) / 100.0)::numeric, 2)     AS paymentamount,
       timestamptz '2024-01-01 00:00:00+00' + ((i * 48271) % 63072000) * interval '1 second'
         + ((i * 16807) % 1000000) * interval '1 microsecond'           AS paymentdate,
       (ARRAY['ACH','CARD','WIRE','CHECK'])[1 + i % 4]                    AS paymentmethod,
       (ARRAY['COMPLETED','COMPLETED','COMPLETED','PENDING','FAILED','REFUNDED'])[1 + i % 6] AS paymentstatus,
       CASE WHEN i % 10 = 0 THEN NULL ELSE 'TXN-' || lpad(i::text, 10, '0') END AS transactionreference,
       CASE WHEN i % 6 IN (3, 4) THEN NULL
            ELSE timestamptz '2024-01-01 00:00:00+00' + ((i * 48271) % 63072000 + 3600) * interval '1 second' END AS processeddate,
       timestamptz '2024-01-01 00:00:00+00' + ((i * 48271) % 63072000) * interval '1 second' AS createddate,
       NULL                                                               AS updateddate
FROM generate_series(1::bigint, {{rows}}) AS i;
