namespace CaseManagement.Tests.Infrastructure;

/// <summary>Waiting for something another thread, node or job does: the probe is asked every 100 ms until it is done or the time is up.</summary>
public static class Poll
{
    /// <summary>The first value <paramref name="done"/> accepts, or the last one probed when <paramref name="seconds"/> ran out.</summary>
    public static async Task<T> Eventually<T>(Func<Task<T>> probe, Func<T, bool> done, int seconds = 40)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(done);
        var value = await probe();
        for (var i = 0; i < seconds * 10 && !done(value); i++)
        {
            await Task.Delay(100);
            value = await probe();
        }

        return value;
    }
}
