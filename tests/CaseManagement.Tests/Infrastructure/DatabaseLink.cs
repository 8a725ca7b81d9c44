using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace CaseManagement.Tests.Infrastructure;

/// <summary>
/// A TCP relay between the application and the test PostgreSQL, to take the database away from one application (and
/// give it back) without stopping the server the other test classes use: <see cref="Cut"/> closes every open connection
/// (as a PostgreSQL restart does: pooled connections are dead) and refuses new ones until <see cref="Restore"/>.
/// </summary>
public sealed class DatabaseLink : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _host;
    private readonly int _port;
    private readonly ConcurrentDictionary<TcpClient, byte> _open = new();
    private readonly CancellationTokenSource _stop = new();
    private volatile bool _cut;

    public DatabaseLink(string connectionString)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        _host = target.Host!;
        _port = target.Port;
        _listener.Start();
        ConnectionString = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Host = "127.0.0.1",
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port,
            Timeout = 3,
        }.ConnectionString;
        _ = AcceptAsync();
    }

    /// <summary>The application's connection string through this link.</summary>
    public string ConnectionString { get; }

    /// <summary>The database is gone: every connection closed, new ones closed at once.</summary>
    public void Cut()
    {
        _cut = true;
        foreach (var client in _open.Keys)
        {
            client.Dispose();
        }

        _open.Clear();
    }

    /// <summary>The database is back.</summary>
    public void Restore() => _cut = false;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            if (_cut)
            {
                client.Dispose();
                continue;
            }

            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using var server = new TcpClient();
        try
        {
            await server.ConnectAsync(_host, _port, _stop.Token);
            _open[client] = 0;
            _open[server] = 0;
            using var cancel = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            var up = client.GetStream().CopyToAsync(server.GetStream(), cancel.Token);
            var down = server.GetStream().CopyToAsync(client.GetStream(), cancel.Token);
            await Task.WhenAny(up, down);
            await cancel.CancelAsync();
        }
#pragma warning disable CA1031 // a relay ends however its sockets end
        catch (Exception)
#pragma warning restore CA1031
        {
        }
        finally
        {
            _open.TryRemove(client, out _);
            _open.TryRemove(server, out _);
            client.Dispose();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        Cut();
        _stop.Dispose();
    }
}
