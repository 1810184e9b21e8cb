// Part 5 — what a user's code asks of the type checker: all three clients, most operations,
// `.all()` iteration, error narrowing. `tsc --extendedDiagnostics` on this file (see
// bench/types.ts) reports check time, instantiations and types; consumer-openapi-fetch.ts does
// the same calls through plain openapi-fetch on the same schemas, as the baseline.
import { ApiError, createByteSpikeClient } from "@spendkit/bytespike";
import { createWaveSpeedClient } from "@spendkit/wavespeed";
import { createXaiClient } from "@spendkit/xai";

export async function report(): Promise<string[]> {
  const lines: string[] = [];
  const wavespeed = createWaveSpeedClient({ apiKey: "ws-key", timeout: 10_000 });
  const bytespike = createByteSpikeClient({ apiKey: "bs-key", maxRetries: 1 });
  const xai = createXaiClient({ apiKey: "xai-key", teamId: "team-1" });

  const balance = await wavespeed.getBalance();
  lines.push(`wavespeed balance ${balance.balance.toFixed(2)}`);
  const search = await wavespeed.searchBillings({
    page: 1,
    page_size: 50,
    sort: "created_at DESC",
  });
  lines.push(`wavespeed search total ${search.total ?? 0}`);
  for await (const record of wavespeed.searchBillings.all({ billing_type: "deduct" })) {
    lines.push(`${record.created_at} ${record.billing_type} ${record.price}`);
  }
  const billings = await wavespeed.listAccountBillings({ page: 1 });
  lines.push(JSON.stringify(billings));
  const stats = await wavespeed.getUsageStats({
    start_time: "2026-05-01T00:00:00Z",
    end_time: "2026-05-31T00:00:00Z",
  });
  lines.push(JSON.stringify(stats));

  const page = await bytespike.listTransactions({ page: 1, page_size: 200, kind: "topup" });
  lines.push(`bytespike ${page.total} ${page.items[0]?.amount_usd ?? 0}`);
  for await (const tx of bytespike.listTransactions.all({ since: "2026-01-01T00:00:00Z" })) {
    lines.push(`${tx.created_at} ${tx.kind} ${tx.amount_usd} ${tx.note ?? ""}`);
  }
  const usage = await bytespike.getUsage({ group_by: "day,model" });
  lines.push(`bytespike usage ${usage.totals.total_usd} over ${usage.buckets.length} buckets`);
  const account = await bytespike.getAccount();
  lines.push(`bytespike ${account.user.email} ${account.balance.available_usd}`);

  const key = await xai.validateManagementKey();
  lines.push(JSON.stringify(key));
  const prepaid = await xai.getPrepaidBalance({});
  lines.push(`xai prepaid ${prepaid.total?.val ?? "0"}`);
  for (const change of prepaid.changes ?? [])
    lines.push(`${change.createTime} ${change.amount?.val}`);
  const invoices = await xai.listInvoices({ "billingCycle.year": 2026, "billingCycle.month": 5 });
  lines.push(`xai invoices ${invoices.invoices?.length ?? 0}`);
  lines.push(JSON.stringify(await xai.getBillingInfo({})));
  lines.push(JSON.stringify(await xai.listPaymentMethods({})));
  lines.push(JSON.stringify(await xai.getSpendingLimits({})));
  lines.push(JSON.stringify(await xai.previewPostpaidInvoice({})));
  try {
    const topUp = await xai.topUpPrepaidCredit({ amount: { val: "1000" } });
    lines.push(`xai top-up ${topUp.change?.amount?.val}`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 402) lines.push(error.message);
    else throw error;
  }
  return lines;
}
