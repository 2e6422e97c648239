/** A small Prometheus registry: counters, gauges read at scrape time, and histograms, in text format. */
type Labels = Record<string, string>;

// Label names are code identifiers: a plain code-unit sort orders them (localeCompare cost more than the rest of a count).
const key = (labels: Labels) => Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`).join(',');

class Counter {
  readonly values = new Map<string, number>();
  constructor(readonly name: string, readonly help: string) {}
  inc(labels: Labels = {}, by = 1): void {
    const k = key(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }
  /** With `others`' series added in (another thread's snapshot of the same counter). */
  render(others: [string, number][][] = []): string[] {
    const values = new Map(this.values);
    for (const list of others) for (const [k, v] of list) values.set(k, (values.get(k) ?? 0) + v);
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`, ...[...values].map(([k, v]) => `${this.name}${k ? `{${k}}` : ''} ${v}`)];
  }
}

type Series = { counts: number[]; sum: number; n: number };

class Histogram {
  readonly series = new Map<string, Series>();
  constructor(readonly name: string, readonly help: string, readonly buckets: number[]) {}
  observe(labels: Labels, value: number): void {
    const k = key(labels);
    let s = this.series.get(k);
    if (!s) this.series.set(k, (s = { counts: this.buckets.map(() => 0), sum: 0, n: 0 }));
    this.buckets.forEach((b, i) => { if (value <= b) s!.counts[i]!++; });
    s.sum += value;
    s.n++;
  }
  /** With `others`' series added in (another thread's snapshot of the same histogram). */
  render(others: [string, Series][][] = []): string[] {
    const series = new Map([...this.series].map(([k, s]) => [k, { counts: [...s.counts], sum: s.sum, n: s.n }]));
    for (const list of others) {
      for (const [k, o] of list) {
        const s = series.get(k);
        if (!s) series.set(k, { counts: [...o.counts], sum: o.sum, n: o.n });
        else {
          o.counts.forEach((c, i) => (s.counts[i]! += c));
          s.sum += o.sum;
          s.n += o.n;
        }
      }
    }
    const out = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const [k, s] of series) {
      const sep = k ? ',' : '';
      this.buckets.forEach((b, i) => out.push(`${this.name}_bucket{${k}${sep}le="${b}"} ${s.counts[i]}`));
      out.push(`${this.name}_bucket{${k}${sep}le="+Inf"} ${s.n}`, `${this.name}_sum${k ? `{${k}}` : ''} ${s.sum}`, `${this.name}_count${k ? `{${k}}` : ''} ${s.n}`);
    }
    return out;
  }
}

export interface MetricsSnapshot {
  counters: Record<string, [string, number][]>;
  histograms: Record<string, [string, Series][]>;
}

export class Metrics {
  readonly requests = new Counter('crm_http_requests_total', 'HTTP requests by route and status');
  readonly commandSeconds = new Histogram('crm_command_duration_seconds', 'Time to handle a command', [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]);
  readonly ingested = new Counter('crm_ingested_events_total', 'Inbound chat events by platform and kind');
  readonly outboxSent = new Counter('crm_outbox_sent_total', 'Outbound messages delivered by platform');
  readonly outboxRetries = new Counter('crm_outbox_retries_total', 'Outbound sends to retry by platform and reason');
  readonly rateLimited = new Counter('crm_platform_429_total', 'Rate-limit answers (429) seen from platforms');
  readonly outboxDead = new Counter('crm_outbox_dead_total', 'Outbound messages given up on');
  readonly jobRuns = new Counter('crm_job_runs_total', 'Scheduled job ticks run by this process');
  private readonly gauges: { name: string; help: string; read: () => Promise<[Labels, number][]> }[] = [];

  gauge(name: string, help: string, read: () => Promise<[Labels, number][]>): void {
    this.gauges.push({ name, help, read });
  }

  private get counters(): Counter[] {
    return [this.requests, this.ingested, this.outboxSent, this.outboxRetries, this.rateLimited, this.outboxDead, this.jobRuns];
  }

  /** Counters and histograms as plain data, for the thread whose HTTP server renders them (`render(others)`). */
  snapshot(): MetricsSnapshot {
    return {
      counters: Object.fromEntries(this.counters.map((c) => [c.name, [...c.values]])),
      histograms: { [this.commandSeconds.name]: [...this.commandSeconds.series] },
    };
  }

  /** The text format; `others` are snapshots of other threads of this process, summed in. Gauges are read here. */
  async render(others: MetricsSnapshot[] = []): Promise<string> {
    const lines: string[] = [];
    for (const m of this.counters) lines.push(...m.render(others.map((o) => o.counters[m.name] ?? [])));
    lines.push(...this.commandSeconds.render(others.map((o) => o.histograms[this.commandSeconds.name] ?? [])));
    for (const g of this.gauges) {
      lines.push(`# HELP ${g.name} ${g.help}`, `# TYPE ${g.name} gauge`);
      for (const [labels, v] of await g.read()) lines.push(`${g.name}${Object.keys(labels).length ? `{${key(labels)}}` : ''} ${v}`);
    }
    return `${lines.join('\n')}\n`;
  }
}
