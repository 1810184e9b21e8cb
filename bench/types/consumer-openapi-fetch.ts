// Part 5 baseline — the calls of consumer.ts through plain openapi-fetch on the same generated
// schemas (no spendkit types): what the type checker pays for openapi-fetch alone. Pagination
// is a hand-written loop; envelopes are unwrapped by hand.
import createClient from "openapi-fetch";
import type { paths as ByteSpike } from "../../packages/bytespike/src/schema.js";
import type { paths as WaveSpeed } from "../../packages/wavespeed/src/schema.js";
import type { paths as Xai } from "../../packages/xai/src/schema.js";

export async function report(): Promise<string[]> {
  const lines: string[] = [];
  const wavespeed = createClient<WaveSpeed>({
    baseUrl: "https://api.wavespeed.ai",
    headers: { Authorization: "Bearer ws-key" },
  });
  const bytespike = createClient<ByteSpike>({
    baseUrl: "https://llm.bytespike.ai",
    headers: { Authorization: "Bearer bs-key" },
  });
  const xai = createClient<Xai>({
    baseUrl: "https://management-api.x.ai",
    headers: { Authorization: "Bearer xai-key" },
  });
  const team_id = "team-1";

  const balance = await wavespeed.GET("/api/v3/balance");
  lines.push(`wavespeed balance ${balance.data?.data.balance.toFixed(2)}`);
  const search = await wavespeed.POST("/api/v3/billings/search", {
    body: { page: 1, page_size: 50, sort: "created_at DESC" },
  });
  lines.push(`wavespeed search total ${search.data?.data.total ?? 0}`);
  for (let page = 1; ; page++) {
    const { data } = await wavespeed.POST("/api/v3/billings/search", {
      body: { billing_type: "deduct", page, page_size: 100 },
    });
    const items = data?.data.items ?? [];
    for (const record of items) {
      lines.push(`${record.created_at} ${record.billing_type} ${record.price}`);
    }
    if (items.length < 100) break;
  }
  const billings = await wavespeed.GET("/api/v3/account/billings", {
    params: { query: { page: 1 } },
  });
  lines.push(JSON.stringify(billings.data));
  const stats = await wavespeed.POST("/api/v3/user/usage_stats", {
    body: { start_time: "2026-05-01T00:00:00Z", end_time: "2026-05-31T00:00:00Z" },
  });
  lines.push(JSON.stringify(stats.data));

  const page = await bytespike.GET("/api/v1/me/billing/transactions", {
    params: { query: { page: 1, page_size: 200, kind: "topup" } },
  });
  lines.push(`bytespike ${page.data?.total} ${page.data?.items[0]?.amount_usd ?? 0}`);
  for (let n = 1; ; n++) {
    const { data } = await bytespike.GET("/api/v1/me/billing/transactions", {
      params: { query: { since: "2026-01-01T00:00:00Z", page: n, page_size: 200 } },
    });
    const items = data?.items ?? [];
    for (const tx of items) {
      lines.push(`${tx.created_at} ${tx.kind} ${tx.amount_usd} ${tx.note ?? ""}`);
    }
    if (items.length < 200) break;
  }
  const usage = await bytespike.GET("/api/v1/me/usage", {
    params: { query: { group_by: "day,model" } },
  });
  lines.push(`bytespike usage ${usage.data?.totals.total_usd}`);
  const account = await bytespike.GET("/api/v1/me/account");
  lines.push(`bytespike ${account.data?.user.email} ${account.data?.balance.available_usd}`);

  const key = await xai.GET("/auth/management-keys/validation");
  lines.push(JSON.stringify(key.data));
  const prepaid = await xai.GET("/v1/billing/teams/{team_id}/prepaid/balance", {
    params: { path: { team_id } },
  });
  lines.push(`xai prepaid ${prepaid.data?.total?.val ?? "0"}`);
  for (const change of prepaid.data?.changes ?? []) {
    lines.push(`${change.createTime} ${change.amount?.val}`);
  }
  const invoices = await xai.GET("/v1/billing/teams/{team_id}/invoices", {
    params: { path: { team_id }, query: { "billingCycle.year": 2026, "billingCycle.month": 5 } },
  });
  lines.push(`xai invoices ${invoices.data?.invoices?.length ?? 0}`);
  const path = { params: { path: { team_id } } };
  lines.push(JSON.stringify(await xai.GET("/v1/billing/teams/{team_id}/billing-info", path)));
  lines.push(JSON.stringify(await xai.GET("/v1/billing/teams/{team_id}/payment-method", path)));
  lines.push(
    JSON.stringify(await xai.GET("/v1/billing/teams/{team_id}/postpaid/spending-limits", path)),
  );
  lines.push(
    JSON.stringify(await xai.GET("/v1/billing/teams/{team_id}/postpaid/invoice/preview", path)),
  );
  const topUp = await xai.POST("/v1/billing/teams/{team_id}/prepaid/top-up", {
    params: { path: { team_id } },
    body: { amount: { val: "1000" } },
  });
  if (topUp.error) lines.push(JSON.stringify(topUp.error));
  else lines.push(`xai top-up ${topUp.data.change?.amount?.val}`);
  return lines;
}
