-- CreateIndex
CREATE INDEX "Payment_providerPaymentRef_idx" ON "Payment"("providerPaymentRef");

-- CreateIndex
CREATE INDEX "Refund_paymentId_idx" ON "Refund"("paymentId");
