using System.Net;
using CaseManagement.Tests.Infrastructure;

namespace CaseManagement.Tests.Operations;

public sealed class HealthTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Live_and_ready_answer_without_sign_in_when_the_database_is_reachable()
    {
        using var client = app.Factory.CreateClient();

        using var live = await client.GetAsync("/health/live");
        using var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Ready_reports_unavailable_when_the_database_cannot_be_reached_while_live_stays_up()
    {
        // A port nobody listens on: the process is alive, the database is not.
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var factory = new CaseManagementFactory($"Host=127.0.0.1;Port={port};Username=x;Password=y;Database=z;Timeout=2");
        using var client = factory.CreateClient();

        using var live = await client.GetAsync("/health/live");
        using var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
    }
}
