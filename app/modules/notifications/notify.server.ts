import { Prisma } from "~/generated/prisma/client";
import { connection, db } from "~/db/index.server";
import { logger } from "~/lib/logger.server";
import { singleton } from "~/lib/singleton.server";

export interface OutgoingMessage {
  channel: "EMAIL" | "SMS";
  recipient: string;
  /** e.g. "password-reset", "staff-invitation" */
  template: string;
  locale: string;
  payload: Record<string, string>;
}

/** How messages leave the platform. The development transport only logs. */
export interface NotificationTransport {
  name: string;
  send(message: OutgoingMessage): Promise<void>;
}

const logTransport: NotificationTransport = {
  name: "log",
  async send(message) {
    logger.info({ notification: message }, `notification ${message.template} to ${message.recipient}`);
  },
};

export function notificationTransport(): NotificationTransport {
  return singleton("notifications:transport", () => logTransport);
}

/**
 * Records the message in the Notification table (the outbox; tests and the admin read it)
 * and hands it to the transport. A failed send stays PENDING for a retry.
 */
export async function notify(message: OutgoingMessage): Promise<string> {
  const row = await db().notification.create({
    data: { ...message, payload: message.payload },
  });
  try {
    await notificationTransport().send(message);
    await db().notification.update({ where: { id: row.id }, data: { status: "DONE", sentAt: new Date() } });
  } catch (error) {
    logger.warn({ err: error, notificationId: row.id }, "notification not sent; it stays pending");
  }
  return row.id;
}

/**
 * The outbox row of a message as one INSERT, for the caller to run in its own transaction (as a
 * CTE of its statement): the message is recorded with the change it reports, or not at all
 * (the checkout's "placed", issue #12, decision 040). Send it after the commit with sendRecorded.
 */
export function recordMessageSql(id: string, message: OutgoingMessage): Prisma.Sql {
  return Prisma.sql`INSERT INTO "Notification" (id, channel, recipient, template, locale, payload)
    VALUES (${id}, ${message.channel}, ${message.recipient}, ${message.template}, ${message.locale},
            ${JSON.stringify(message.payload)}::jsonb)`;
}

/**
 * Hands a message recorded by recordMessageSql (after its transaction committed) to the
 * transport. It is marked DONE with others sent within SENT_MARK_DELAY_MS, in one statement:
 * a failed send stays PENDING, as with notify.
 */
export async function sendRecorded(id: string, message: OutgoingMessage): Promise<void> {
  try {
    await notificationTransport().send(message);
  } catch (error) {
    logger.warn({ err: error, notificationId: id }, "notification not sent; it stays pending");
    return;
  }
  sentMarks.push({ id, at: new Date().toISOString() });
  if (sentMarks.length >= SENT_MARK_BATCH) void flushSentMarks();
  else flushTimer ??= setTimeout(() => void flushSentMarks(), SENT_MARK_DELAY_MS);
}

const SENT_MARK_DELAY_MS = 50;
const SENT_MARK_BATCH = 500;
const sentMarks: { id: string; at: string }[] = [];
let flushTimer: ReturnType<typeof setTimeout> | undefined;

let flushing: Promise<void> = Promise.resolve();

/**
 * Marks the messages sent so far DONE now (the batch's timer does it otherwise; tests call it).
 * Resolves once every earlier batch is written too: batches are written one after the other.
 */
export function flushSentMarks(): Promise<void> {
  clearTimeout(flushTimer);
  flushTimer = undefined;
  const batch = sentMarks.splice(0);
  flushing = flushing.then(() => writeSentMarks(batch));
  return flushing;
}

async function writeSentMarks(batch: { id: string; at: string }[]): Promise<void> {
  if (batch.length === 0) return;
  try {
    await connection().raw.query(
      `UPDATE "Notification" n SET status = 'DONE', "sentAt" = w.at
         FROM unnest($1::text[], $2::timestamptz[]) AS w(id, at)
        WHERE n.id = w.id`,
      [batch.map((m) => m.id), batch.map((m) => m.at)],
    );
  } catch (error) {
    // The messages went out; only their mark is missing (they stay PENDING).
    logger.warn({ err: error, notifications: batch.length }, "could not mark notifications sent");
  }
}
