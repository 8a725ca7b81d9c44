using System.Net;
using CaseManagement.Tests.Infrastructure;

namespace CaseManagement.Tests.Operations;

/// <summary>/metrics: Prometheus format, to loopback and configured monitoring addresses only, no case ids in labels.</summary>
public sealed class MetricsTests(AppFixture app) : IClassFixture<AppFixture>
{
    private HttpClient From(string address)
    {
        var client = app.Factory.CreateClient();
        client.DefaultRequestHeaders.Add(TestClientAddress.Header, address);
        return client;
    }

    [Fact]
    public async Task Loopback_reads_request_metrics_by_route_template_without_case_ids()
    {
        using var api = await app.ClientFor("im1@musterstadt.example");
        var id = await CaseApi.NewCase(api);
        (await api.GetAsync($"/api/v1/clients/{id}")).Dispose();
        using var local = From("127.0.0.1");

        using var response = await local.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("http_server_request_duration_seconds", text, StringComparison.Ordinal);
        Assert.Contains("api/v1/clients/{id:guid}", text, StringComparison.Ordinal);
        Assert.DoesNotContain(id.ToString(), text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Any_other_address_gets_404_unless_configured()
    {
        using var stranger = From("203.0.113.9");
        using var refused = await stranger.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);

        await using var monitored = app.Factory.WithWebHostBuilder(b => b.UseSetting("Metrics:AllowedAddresses:0", "203.0.113.0/24"));
        using var monitor = monitored.CreateClient();
        monitor.DefaultRequestHeaders.Add(TestClientAddress.Header, "203.0.113.9");
        using var allowed = await monitor.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }
}
