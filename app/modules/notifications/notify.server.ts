import { db } from "~/db/index.server";
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
