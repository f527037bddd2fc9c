// One small interface for every way of paying (docs/decisions/013). A provider starts a
// payment, reports its state when asked, gives up on an unpaid one and refunds. Webhooks
// turn the provider's events into the same outcomes.

export type ProviderName = "STRIPE" | "OFFLINE";

export interface PaymentLineItem {
  name: string;
  unitAmountFen: number;
  quantity: number;
}

export interface StartPaymentInput {
  paymentId: string;
  idempotencyKey: string;
  orderId: string;
  orderNumber: string;
  amountFen: number;
  items: PaymentLineItem[];
  locale: string;
  successUrl: string;
  cancelUrl: string;
  /** When the provider should stop accepting this payment. */
  expiresAt: Date;
  /** When the order was placed: a retried start must send the very same parameters. */
  placedAt: Date;
}

export interface StartedPayment {
  /** Where to send the buyer (Stripe's hosted page); null when nothing is paid online. */
  redirectUrl: string | null;
  providerRef: string | null;
}

export type RemoteState =
  { state: "paid"; providerPaymentRef: string | null } | { state: "open" } | { state: "expired" } | { state: "failed" };

export interface RefundInput {
  refundId: string;
  idempotencyKey: string;
  providerPaymentRef: string | null;
  amountFen: number;
  orderNumber: string;
  shopOrderNumber: string;
}

/** A refund as the provider sees it; refundId is ours, sent with the refund (Stripe: metadata). */
export interface RemoteRefund {
  providerRef: string;
  refundId: string | null;
  state: "succeeded" | "pending" | "failed";
}

export interface PaymentProvider {
  name: ProviderName;
  start(input: StartPaymentInput): Promise<StartedPayment>;
  /** The payment's state at the provider (for the reconciliation job). */
  status(providerRef: string): Promise<RemoteState>;
  /** Stops an unpaid payment; says "paid" when it turns out the buyer paid after all. */
  cancel(providerRef: string): Promise<RemoteState>;
  refund(input: RefundInput): Promise<{ providerRef: string | null; done: boolean }>;
  /** The refunds of one payment and their states (providers whose refunds finish later). */
  refundsOf?(providerPaymentRef: string): Promise<RemoteRefund[]>;
}
