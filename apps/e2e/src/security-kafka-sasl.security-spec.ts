import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { topicNames } from '@pg2ddb/contracts';
import { createKafka, kafkaSecurity } from '@pg2ddb/kafka';
import { startServiceProcess } from '@pg2ddb/service';
import { eventually, readStackEnv, TestPipeline } from '@pg2ddb/testing';
import { runCli } from './cli-support';

// Kafka over TLS with SCRAM-SHA-512 (docs/security.md): the stack's second listener (SASL_SSL,
// server certificate from the stack's test CA). The transformer, the writer and the cli reach
// Kafka only through it and sync the payments example; a wrong password stops a service at boot
// with a message that names the setting and never the secret.
const examples = join(__dirname, '../../../examples/payments');

function saslEnv(): Record<string, string> {
  const stack = readStackEnv();
  return {
    PG2DDB_KAFKA_BROKERS: stack.PG2DDB_STACK_KAFKA_SASL_SSL_BROKERS ?? '',
    PG2DDB_KAFKA_SSL: 'true',
    PG2DDB_KAFKA_SSL_CA_FILE: stack.PG2DDB_STACK_TLS_CA_FILE ?? '',
    PG2DDB_KAFKA_SASL_MECHANISM: 'scram-sha-512',
    PG2DDB_KAFKA_SASL_USERNAME: stack.PG2DDB_STACK_KAFKA_SASL_USERNAME ?? '',
    PG2DDB_KAFKA_SASL_PASSWORD: stack.PG2DDB_STACK_KAFKA_SASL_PASSWORD ?? '',
  };
}

describe('security: Kafka clients over SASL_SSL (SCRAM-SHA-512, TLS with a test CA)', () => {
  let pipeline: TestPipeline;
  const secure = saslEnv();

  beforeAll(async () => {
    pipeline = await TestPipeline.start({
      mapping: readFileSync(join(examples, 'mapping.yaml'), 'utf8'),
      schemaSql: readFileSync(join(examples, 'schema.sql'), 'utf8'),
      serviceEnv: { transformer: secure, writer: secure },
    });
  });

  afterAll(async () => {
    await pipeline?.stop();
  });

  it('syncs the payments example with the transformer and the writer on the SASL_SSL listener only', async () => {
    expect(secure.PG2DDB_KAFKA_BROKERS).not.toBe(pipeline.env.PG2DDB_KAFKA_BROKERS);
    await pipeline.query(`INSERT INTO payments (paymentid, customerid, loanid, paymentamount, paymentdate, paymentmethod, paymentstatus, createddate)
      VALUES (7, 9, 70, 12.50, '2024-03-01 10:00:00+00', 'CARD', 'PENDING', '2024-03-01 10:00:00+00')`);
    await eventually(async () =>
      expect(await pipeline.item({ PK: { S: 'CUSTOMER#9' }, SK: { S: 'PAYMENT#2024-03-01T10:00:00.000000Z#7' } })).toMatchObject({ PaymentStatus: { S: 'PENDING' } }),
    );
  });

  it('the cli reads the dead letters through the SASL_SSL listener', async () => {
    const kafka = createKafka({
      brokers: [secure.PG2DDB_KAFKA_BROKERS as string],
      clientId: `${pipeline.names.id}-sasl`,
      ...kafkaSecurity({
        PG2DDB_KAFKA_SSL: true,
        PG2DDB_KAFKA_SSL_CA_FILE: secure.PG2DDB_KAFKA_SSL_CA_FILE,
        PG2DDB_KAFKA_SASL_MECHANISM: 'scram-sha-512',
        PG2DDB_KAFKA_SASL_USERNAME: secure.PG2DDB_KAFKA_SASL_USERNAME,
        PG2DDB_KAFKA_SASL_PASSWORD: secure.PG2DDB_KAFKA_SASL_PASSWORD,
      }),
    });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: topicNames(pipeline.names.prefix).writes, acks: -1, messages: [{ key: 'k', value: 'not a command' }] });
    await producer.disconnect();
    const env = { ...pipeline.env, ...secure, PG2DDB_TOPIC_PREFIX: pipeline.names.prefix };
    await eventually(async () => {
      const listed = runCli(['dlq', 'list', '--mapping', pipeline.mappingFile, '--json'], env);
      expect(listed.stdout).toContain('WRITER_MALFORMED_COMMAND');
      expect(listed.status).toBe(1); // 1: dead letters are pending
    });
  });

  it('a wrong password stops the writer at boot, naming the setting and not the secret', async () => {
    const wrong = 'wrong-Pa55word-never-printed';
    const logFile = join(pipeline.workDir, 'writer-wrong-password.log');
    const writer = await startServiceProcess(
      'writer',
      { ...pipeline.env, ...secure, PG2DDB_KAFKA_SASL_PASSWORD: wrong, PG2DDB_MAPPING_FILE: pipeline.mappingFile, PG2DDB_TOPIC_PREFIX: pipeline.names.prefix },
      logFile,
    );
    await expect(writer.ready(60_000)).rejects.toThrow(/writer exited with code 1 before it was ready/);
    const log = readFileSync(logFile, 'utf8');
    expect(log).toContain(
      'writer failed to start: Kafka refused the SASL credentials (mechanism scram-sha-512): check PG2DDB_KAFKA_SASL_USERNAME="pg2ddb" and PG2DDB_KAFKA_SASL_PASSWORD=***',
    );
    expect(log).not.toContain(wrong);
    expect(log).not.toContain(secure.PG2DDB_KAFKA_SASL_PASSWORD);
  });
});
