-- CreateTable
CREATE TABLE "SearchQueryWeek" (
    "weekStart" DATE NOT NULL,
    "query" VARCHAR(100) NOT NULL,
    "searches" INTEGER NOT NULL DEFAULT 0,
    "zeroResults" INTEGER NOT NULL DEFAULT 0,
    "lastResults" INTEGER NOT NULL DEFAULT 0,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SearchQueryWeek_pkey" PRIMARY KEY ("weekStart","query")
);

-- CreateIndex
CREATE INDEX "SearchQueryWeek_weekStart_searches_idx" ON "SearchQueryWeek"("weekStart", "searches" DESC);
