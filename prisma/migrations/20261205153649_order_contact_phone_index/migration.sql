-- CreateIndex
CREATE INDEX "Order_contactPhone_userId_idx" ON "Order"("contactPhone", "userId");
