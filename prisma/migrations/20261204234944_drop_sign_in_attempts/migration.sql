-- DropTable
DROP TABLE "SignInAttempt";
