import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** A sent SDK command as the fake sees it: its class name and input. */
export interface SentCommand {
  name: string;
  input: Record<string, unknown>;
}

/**
 * A DynamoDB client whose `send` calls the handler instead of the network, and records every
 * call. For unit tests only; the integration specs use the stack's DynamoDB emulator.
 */
export function fakeClient(handler: (command: SentCommand) => unknown): { client: DynamoDBClient; sent: SentCommand[] } {
  const sent: SentCommand[] = [];
  const client = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const entry = { name: command.constructor.name, input: command.input };
      sent.push(entry);
      return handler(entry);
    },
  };
  // The fake implements only `send`, the one member this lib uses.
  return { client: client as unknown as DynamoDBClient, sent };
}

/** An error shaped like the ones the SDK throws. */
export function sdkError(name: string, message = name, extra: Record<string, unknown> = {}): Error {
  const status = name === 'InternalServerError' ? 500 : 400;
  return Object.assign(new Error(message), {
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status, requestId: 'req-1' },
    ...extra,
  });
}
