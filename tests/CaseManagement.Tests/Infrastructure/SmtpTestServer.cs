using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CaseManagement.Tests.Infrastructure;

/// <summary>A message as the SMTP server received it.</summary>
public sealed record ReceivedMail(string From, IReadOnlyList<string> To, string Data, string? AuthenticatedAs);

/// <summary>
/// A small SMTP server on loopback (RFC 5321 subset: EHLO/HELO, AUTH PLAIN, MAIL, RCPT, DATA with
/// dot-unstuffing, RSET, NOOP, QUIT), so the application's MailKit client talks real SMTP in tests.
/// <see cref="RejectNextMessages"/> makes it answer DATA with a permanent error, to test failures.
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly Task accepting;
    private int rejectNext;

    public SmtpTestServer()
    {
        listener.Start();
        accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public ConcurrentQueue<ReceivedMail> Messages { get; } = new();

    public void RejectNextMessages(int count) => Interlocked.Exchange(ref rejectNext, count);

    /// <summary>The application sends its mail here (plain SMTP on loopback); links point to <paramref name="baseUrl"/>.</summary>
    public Microsoft.AspNetCore.Hosting.IWebHostBuilder Serve(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder, string baseUrl)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder
            .UseSetting("Mail:Host", "127.0.0.1")
            .UseSetting("Mail:Port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .UseSetting("Mail:Security", "None")
            .UseSetting("Mail:BaseUrl", baseUrl);
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        try
        {
            await accepting;
        }
        catch (OperationCanceledException)
        {
        }

        stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 localhost ESMTP test");
        string? from = null;
        string? user = null;
        var to = new List<string>();
        while (await reader.ReadLineAsync(stop.Token) is { } line)
        {
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO":
                    await writer.WriteAsync("250-localhost\r\n250-8BITMIME\r\n250-AUTH PLAIN\r\n250 SIZE 10485760\r\n");
                    break;
                case "HELO":
                    await writer.WriteLineAsync("250 localhost");
                    break;
                case "AUTH":
                {
                    var parts = line.Split(' ');
                    var payload = parts.Length > 2 ? parts[2] : null;
                    if (payload is null)
                    {
                        await writer.WriteLineAsync("334 ");
                        payload = await reader.ReadLineAsync(stop.Token);
                    }

                    var fields = Encoding.UTF8.GetString(Convert.FromBase64String(payload ?? "")).Split('\0');
                    user = fields.Length == 3 ? $"{fields[1]}:{fields[2]}" : null;
                    await writer.WriteLineAsync("235 2.7.0 Authentication successful");
                    break;
                }

                case "MAIL":
                    from = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim().Split(' ')[0].Trim('<', '>');
                    to.Clear();
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "RCPT":
                    to.Add(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim().Split(' ')[0].Trim('<', '>'));
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "DATA":
                {
                    await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                    var data = new StringBuilder();
                    while (await reader.ReadLineAsync(stop.Token) is { } dataLine && dataLine != ".")
                    {
                        data.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                    }

                    if (Interlocked.Decrement(ref rejectNext) >= 0)
                    {
                        await writer.WriteLineAsync("554 5.3.0 Rejected by the test server");
                    }
                    else
                    {
                        Interlocked.Exchange(ref rejectNext, 0);
                        Messages.Enqueue(new ReceivedMail(from ?? "", to.ToList(), data.ToString(), user));
                        await writer.WriteLineAsync("250 OK queued");
                    }

                    break;
                }

                case "RSET":
                    from = null;
                    to.Clear();
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "NOOP":
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "QUIT":
                    await writer.WriteLineAsync("221 Bye");
                    return;
                default:
                    await writer.WriteLineAsync("502 5.5.2 Command not recognised");
                    break;
            }
        }
    }
}
