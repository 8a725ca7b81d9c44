using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace CaseManagement.Benchmarks;

/// <summary>One line of the results table.</summary>
public sealed record ResultRow(string Scenario, string Measure, string P50, string P95, string Other, string Target, bool? Met, string? Note = null)
{
    public static ResultRow Latency(string scenario, string measure, Samples samples, double? targetP50 = null, double? targetP95 = null, string? note = null)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var target = targetP50 is { } t50 ? $"p50 ≤ {Format.Ms(t50)}" : targetP95 is { } t95 ? $"p95 ≤ {Format.Ms(t95)}" : "";
        bool? met = targetP50 is { } a ? samples.P50 <= a : targetP95 is { } b ? samples.P95 <= b : null;
        return new(scenario, measure, Format.Ms(samples.P50), Format.Ms(samples.P95), $"p99 {Format.Ms(samples.P99)}, n={samples.Count}", target, met, note);
    }
}

/// <summary>Facts of the machine and the run, so that two runs can be compared.</summary>
public sealed record MachineFacts(
    string Preset, int Seed, string Today, int Cores, string Cpu, double MemoryGiB, string PostgreSql, string Os, string DotNet,
    long Cases, long Events, string StartedAt);

/// <summary>The results as a Markdown table (printed and written to a file) and as JSON with the machine facts.</summary>
public sealed class Report(MachineFacts facts)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly List<ResultRow> rows = [];

    public IReadOnlyList<ResultRow> Rows => rows;

    public MachineFacts Facts { get; private set; } = facts;

    public void Add(ResultRow row) => rows.Add(row);

    public void Update(MachineFacts updated) => Facts = updated;

    public string Markdown()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"## CaseManagement benchmark – preset `{Facts.Preset}`, {Facts.StartedAt}\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Machine: {Facts.Cores} cores ({Facts.Cpu}), {Facts.MemoryGiB:0.0} GiB, {Facts.Os}; {Facts.PostgreSql}; .NET {Facts.DotNet}. ");
        text.Append(CultureInfo.InvariantCulture, $"Data: {Format.Number(Facts.Cases)} cases, {Format.Number(Facts.Events)} events (seed {Facts.Seed}, histories up to {Facts.Today}).\n\n");
        text.Append("| scenario | measure | p50 | p95 | other | target | met |\n|---|---|---|---|---|---|---|\n");
        foreach (var row in rows)
        {
            var met = row.Met switch { true => "yes", false => "**no**", null => "" };
            text.Append(CultureInfo.InvariantCulture, $"| {row.Scenario} | {row.Measure}{(row.Note is null ? "" : $" ({row.Note})")} | {row.P50} | {row.P95} | {row.Other} | {row.Target} | {met} |\n");
        }

        return text.ToString();
    }

    public async Task<(string Markdown, string Json)> WriteAsync(string directory)
    {
        Directory.CreateDirectory(directory);
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var markdown = Path.Combine(directory, $"benchmark-{Facts.Preset}-{stamp}.md");
        var json = Path.Combine(directory, $"benchmark-{Facts.Preset}-{stamp}.json");
        await File.WriteAllTextAsync(markdown, Markdown());
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(new { machine = Facts, results = rows }, JsonOptions));
        return (markdown, json);
    }

    public static MachineFacts Machine(BenchmarkOptions options, string postgres)
    {
        ArgumentNullException.ThrowIfNull(options);
        static string Read(string path, string prefix) => File.Exists(path)
            ? File.ReadLines(path).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?"
            : "?";
        var memory = Read("/proc/meminfo", "MemTotal").Split(' ')[0];
        return new MachineFacts(
            options.Preset.Name, options.Seed, options.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Environment.ProcessorCount, Read("/proc/cpuinfo", "model name"),
            double.TryParse(memory, CultureInfo.InvariantCulture, out var kib) ? kib / 1024 / 1024 : double.NaN, postgres, RuntimeInformation.OSDescription,
            Environment.Version.ToString(), options.Preset.Cases, 0, DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
    }
}
