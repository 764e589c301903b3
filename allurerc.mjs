// Allure Report 3 configuration for the acceptance suite.
// Normally driven by `python -m signoff report`, which sets the SIGNOFF_* variables below;
// `npx allure generate allure-results --config allurerc.mjs` works by hand too.
import { defineConfig } from "allure";

const env = process.env;

export default defineConfig({
  name: env.SIGNOFF_REPORT_NAME ?? "Platform acceptance",
  output: env.SIGNOFF_REPORT_OUT ?? "reports/html",
  // History (and so the trend charts) is carried over between runs in this local file.
  historyPath: env.SIGNOFF_HISTORY_PATH ?? "reports/history/history.jsonl",
  historyLimit: 50,
  // The first matching category wins; anything else that did not pass falls into Allure's defaults.
  categories: {
    rules: [
      {
        // signoff marks every attempt of a scenario that both passed and failed (retries, repeated runs)
        id: "flaky",
        name: "Flaky scenarios (passed in one attempt, failed in another)",
        matchers: { flaky: true },
        groupByMessage: false,
        expand: true,
      },
      {
        id: "product-defects",
        name: "Product defects",
        matchers: { statuses: ["failed"] },
        groupBy: [{ label: "epic" }],
        groupByMessage: true,
        expand: true,
      },
      {
        id: "suite-or-environment-problems",
        name: "Suite or environment problems",
        matchers: { statuses: ["broken", "unknown"] },
        groupByMessage: true,
      },
      {
        id: "skipped-by-environment",
        name: "Skipped by the environment",
        matchers: { statuses: ["skipped"] },
        groupByMessage: true,
      },
    ],
  },
  plugins: {
    awesome: {
      options: {
        reportName: env.SIGNOFF_REPORT_NAME ?? "Platform acceptance",
        singleFile: true,
        reportLanguage: "en",
        theme: "light",
        groupBy: ["epic", "feature", "story"],
        stepTreeExpansion: "expand_failed_only",
      },
    },
  },
});
