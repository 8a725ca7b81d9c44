using System.Diagnostics;
using System.Globalization;

namespace CaseManagement.Web.Infrastructure;

/// <summary>
/// The server's own time per request as a W3C <c>Server-Timing</c> header, for the benchmark program and the
/// browser's developer tools; on only with <c>Diagnostics:ServerTiming</c> (never in production). Besides the
/// whole request (<c>app</c>) it names the time spent waiting for PostgreSQL (<c>db</c>, from Npgsql's activity
/// source) and the number of statements, so that the benchmark can say where a request's milliseconds go. Only
/// durations and counts leave the process — never a statement's text or parameters.
/// </summary>
public static class ServerTiming
{
    private static readonly AsyncLocal<Tally?> Current = new();
    private static ActivityListener? listener;

    public static void UseServerTiming(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!app.Configuration.GetValue("Diagnostics:ServerTiming", false))
        {
            return;
        }

        Listen();
        app.Use((context, next) =>
        {
            var tally = new Tally();
            Current.Value = tally;
            context.Response.OnStarting(() =>
            {
                var elapsed = Stopwatch.GetElapsedTime(tally.Started).TotalMilliseconds;
                context.Response.Headers["Server-Timing"] = string.Create(CultureInfo.InvariantCulture,
                    $"app;dur={elapsed:0.00}, db;dur={tally.DatabaseMilliseconds:0.00};desc=\"{tally.Statements} calls\"") + tally.PhasesHeader();
                return Task.CompletedTask;
            });
            return next(context);
        });
    }

    /// <summary>Marks the moment the request reaches its endpoint (after authentication and authorization): the <c>pipeline</c> phase.</summary>
    public static void MarkServerTimingEndpoint(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!app.Configuration.GetValue("Diagnostics:ServerTiming", false))
        {
            return;
        }

        app.Use((context, next) =>
        {
            Current.Value?.MarkEndpoint();
            return next(context);
        });
    }

    private static void Listen()
    {
        if (listener is not null)
        {
            return;
        }

        listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Npgsql" or CaseManagement.Cases.CaseGate.PhasesName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (Current.Value is not { } tally)
                {
                    return;
                }

                if (activity.Source.Name == CaseManagement.Cases.CaseGate.PhasesName)
                {
                    tally.AddPhase(activity.OperationName, activity.Duration);
                }
                else
                {
                    tally.Add(activity.Duration);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
    }

    private sealed class Tally
    {
        private static readonly string[] GatePhases = ["load", "decide", "commit"];
        private readonly long[] phaseTicks = new long[GatePhases.Length];
        private long ticks;
        private int statements;
        private long endpoint;

        public long Started { get; } = Stopwatch.GetTimestamp();

        public int Statements => Volatile.Read(ref statements);

        public double DatabaseMilliseconds => TimeSpan.FromTicks(Interlocked.Read(ref ticks)).TotalMilliseconds;

        public void MarkEndpoint() => Interlocked.CompareExchange(ref endpoint, Stopwatch.GetTimestamp(), 0);

        public void AddPhase(string name, TimeSpan duration)
        {
            var index = Array.IndexOf(GatePhases, name);
            if (index >= 0)
            {
                Interlocked.Add(ref phaseTicks[index], duration.Ticks);
            }
        }

        /// <summary>", pipeline;dur=…, load;dur=…" — only the phases the request went through.</summary>
        public string PhasesHeader()
        {
            var header = new System.Text.StringBuilder();
            var reached = Interlocked.Read(ref endpoint);
            if (reached != 0)
            {
                header.Append(CultureInfo.InvariantCulture, $", pipeline;dur={Stopwatch.GetElapsedTime(Started, reached).TotalMilliseconds:0.00}");
            }

            for (var i = 0; i < GatePhases.Length; i++)
            {
                var phase = Interlocked.Read(ref phaseTicks[i]);
                if (phase != 0)
                {
                    header.Append(CultureInfo.InvariantCulture, $", {GatePhases[i]};dur={TimeSpan.FromTicks(phase).TotalMilliseconds:0.00}");
                }
            }

            return header.ToString();
        }

        public void Add(TimeSpan duration)
        {
            Interlocked.Add(ref ticks, duration.Ticks);
            Interlocked.Increment(ref statements);
        }
    }
}
