using System.Diagnostics;
using System.Globalization;

namespace CaseManagement.Benchmarks;

/// <summary>Latencies of one scenario, in milliseconds.</summary>
public sealed class Samples
{
    private readonly List<double> values = [];

    public int Count => values.Count;

    public void Add(double milliseconds) => values.Add(milliseconds);

    public void Add(TimeSpan elapsed) => values.Add(elapsed.TotalMilliseconds);

    public double Percentile(double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        var rank = Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1);
        return sorted[rank];
    }

    public double P50 => Percentile(50);

    public double P95 => Percentile(95);

    public double P99 => Percentile(99);

    public double Mean => values.Count == 0 ? double.NaN : values.Average();

    /// <summary>Runs <paramref name="operation"/> <paramref name="warmup"/> times untimed, then <paramref name="iterations"/> times timed.</summary>
    public static async Task<Samples> Of(int warmup, int iterations, Func<int, Task> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        for (var i = 0; i < warmup; i++)
        {
            await operation(i);
        }

        var samples = new Samples();
        for (var i = 0; i < iterations; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await operation(warmup + i);
            samples.Add(Stopwatch.GetElapsedTime(started));
        }

        return samples;
    }

    /// <summary>As <see cref="Of"/>, but the operation reports its own figure (e.g. the server's time from a header).</summary>
    public static async Task<Samples> Reported(int warmup, int iterations, Func<int, Task<double>> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        for (var i = 0; i < warmup; i++)
        {
            await operation(i);
        }

        var samples = new Samples();
        for (var i = 0; i < iterations; i++)
        {
            samples.Add(await operation(warmup + i));
        }

        return samples;
    }
}

public static class Format
{
    public static string Ms(double value) => double.IsNaN(value) ? "–" : value.ToString(value < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " ms";

    public static string Number(double value) => value.ToString("#,##0", CultureInfo.InvariantCulture);

    public static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
}

/// <summary>A progress bar on the console (stderr), updated at most ten times a second.</summary>
public sealed class Progress(string label, long total, bool quiet)
{
    private long done;
    private long lastDraw;

    public void Advance(long by = 1)
    {
        var now = Interlocked.Add(ref done, by);
        var tick = Stopwatch.GetTimestamp();
        if (quiet || (now < total && Stopwatch.GetElapsedTime(Interlocked.Read(ref lastDraw), tick).TotalMilliseconds < 100))
        {
            return;
        }

        Interlocked.Exchange(ref lastDraw, tick);
        var width = 30;
        var filled = total == 0 ? width : (int)(width * Math.Min(1, (double)now / total));
        Console.Error.Write($"\r{label,-28} [{new string('#', filled)}{new string('.', width - filled)}] {Format.Number(now)} / {Format.Number(total)}   ");
        if (now >= total)
        {
            Console.Error.WriteLine();
        }
    }
}
