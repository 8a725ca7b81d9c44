using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CaseManagement.Tests.LocalOffers;

/// <summary>
/// A stand-in for an Integreat CMS on 127.0.0.1 (no network): serves the recorded answers of the languages and
/// locations endpoints of region <c>testregion</c>, or what a test sets in <see cref="Answer"/> (HTML, 500, a slow or
/// an oversize answer). Records every request's method and path.
/// </summary>
public sealed class IntegreatTestServer : IDisposable
{
    public const string Region = "testregion";

    private readonly HttpListener listener = new();
    private readonly Task loop;

    public IntegreatTestServer()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        BaseUrl = $"http://127.0.0.1:{port}";
        listener.Prefixes.Add(BaseUrl + "/");
        listener.Start();
        loop = Task.Run(Serve);
    }

    public string BaseUrl { get; }

    public List<string> Requests { get; } = [];

    /// <summary>The answer to a path: status, content type, body and a delay; by default the recorded region.</summary>
    public Func<string, (int Status, string ContentType, byte[] Body, TimeSpan Delay)> Answer { get; set; } = path => Recorded(path, true);

    /// <summary>The recorded region: two places in German (the second one only <paramref name="withSecondPlace"/>), the first in Arabic.</summary>
    public static (int, string, byte[], TimeSpan) Recorded(string path, bool withSecondPlace) => path switch
    {
        "/api/v3/testregion/languages/" => Json(Languages),
        "/api/v3/testregion/de/locations/" => Json("[" + FirstPlaceDe + (withSecondPlace ? "," + SecondPlaceDe : "") + "]"),
        "/api/v3/testregion/ar/locations/" => Json(ArabicLocations),
        _ => (404, "application/json", Encoding.UTF8.GetBytes("{\"error\":\"not found\"}"), TimeSpan.Zero),
    };

    public static (int, string, byte[], TimeSpan) Json(string body) => (200, "application/json", Encoding.UTF8.GetBytes(body), TimeSpan.Zero);

    // Shapes as integreat_cms/api/v3/languages.py and locations.py (transform_poi_translation) answer them.
    private const string Languages = """
        [
          {"id": 1, "code": "de", "bcp47_tag": "de-DE", "native_name": "Deutsch", "dir": "ltr"},
          {"id": 2, "code": "ar", "bcp47_tag": "ar-MA", "native_name": "العربية", "dir": "rtl"},
          {"id": 3, "code": "it", "bcp47_tag": "it-IT", "native_name": "Italiano", "dir": "ltr"}
        ]
        """;

    private const string SecondPlaceDe = """
          {"id": 502, "url": "https://integreat.app/testregion/de/locations/vhs", "path": "/testregion/de/locations/vhs",
           "title": "Volkshochschule Teststadt – Integrationskurse", "meta_description": "", "excerpt": "", "content": "",
           "available_languages": {}, "icon": null, "thumbnail": null, "website": "https://vhs.example", "email": null,
           "phone_number": null, "category": {"id": 4, "name": "Sprache", "color": "#000000", "icon": "language"},
           "temporarily_closed": false, "opening_hours": null, "appointment_url": null,
           "location": {"id": 12, "name": "Volkshochschule Teststadt – Integrationskurse", "address": "Schulstraße 3", "town": "Teststadt",
                        "state": null, "postcode": "70002", "region": null, "country": "Deutschland", "latitude": 48.7, "longitude": 9.1},
           "hash": null, "organization": null, "barrier_free": true}
        """;

    private const string FirstPlaceDe = """
          {"id": 501, "url": "https://integreat.app/testregion/de/locations/jobcenter", "path": "/testregion/de/locations/jobcenter",
           "title": "Jobcenter Teststadt", "modified_gmt": "2026-11-30T10:00:00Z", "last_updated": "2026-11-30T11:00:00+01:00",
           "meta_description": "", "excerpt": "Beratung", "content": "<p>Beratung</p>", "available_languages": {"ar": {"id": 601}},
           "icon": null, "thumbnail": null, "website": "https://jobcenter.example", "email": "teststadt@jobcenter.example",
           "phone_number": "07000 1234", "category": {"id": 3, "name": "Jobcenter und Arbeit", "color": "#000000", "icon": "work"},
           "temporarily_closed": false,
           "opening_hours": [
             {"allDay": false, "closed": false, "appointmentOnly": false, "timeSlots": [{"start": "08:00", "end": "12:00"}]},
             {"allDay": false, "closed": false, "appointmentOnly": false, "timeSlots": [{"start": "08:00", "end": "12:00"}, {"start": "13:00", "end": "16:00"}]},
             {"allDay": false, "closed": true, "appointmentOnly": false, "timeSlots": []},
             {"allDay": false, "closed": false, "appointmentOnly": true, "timeSlots": [{"start": "13:00", "end": "18:00"}]},
             {"allDay": false, "closed": false, "appointmentOnly": false, "timeSlots": [{"start": "08:00", "end": "12:00"}]},
             {"allDay": false, "closed": true, "appointmentOnly": false, "timeSlots": []},
             {"allDay": false, "closed": true, "appointmentOnly": false, "timeSlots": []}
           ],
           "appointment_url": null,
           "location": {"id": 11, "name": "Jobcenter Teststadt", "address": "Bahnhofstraße 1", "town": "Teststadt", "state": null,
                        "postcode": "70001", "region": null, "country": "Deutschland", "latitude": 48.7, "longitude": 9.1},
           "hash": null, "organization": null, "barrier_free": true}
        """;

    private const string ArabicLocations = """
        [
          {"id": 601, "url": "https://integreat.app/testregion/ar/locations/jobcenter", "path": "/testregion/ar/locations/jobcenter",
           "title": "مركز العمل في تيستشتات", "meta_description": "", "excerpt": "", "content": "", "available_languages": {},
           "icon": null, "thumbnail": null, "website": "https://jobcenter.example", "email": null, "phone_number": null,
           "category": {"id": 3, "name": "العمل", "color": "#000000", "icon": "work"}, "temporarily_closed": false, "opening_hours": null,
           "appointment_url": null,
           "location": {"id": 11, "name": "Jobcenter Teststadt", "address": "Bahnhofstraße 1", "town": "Teststadt", "state": null,
                        "postcode": "70001", "region": null, "country": "Deutschland", "latitude": 48.7, "longitude": 9.1},
           "hash": null, "organization": null, "barrier_free": true}
        ]
        """;

    private async Task Serve()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                var path = context.Request.Url!.AbsolutePath;
                lock (Requests)
                {
                    Requests.Add(context.Request.HttpMethod + " " + path + context.Request.Url.Query);
                }

                var (status, type, body, delay) = Answer(path);
                try
                {
                    if (delay > TimeSpan.Zero)
                    {
                        await Task.Delay(delay);
                    }

                    context.Response.StatusCode = status;
                    context.Response.ContentType = type;
                    context.Response.ContentLength64 = body.Length;
                    await context.Response.OutputStream.WriteAsync(body);
                    context.Response.Close();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
                {
                    // The client gave up (timeout, oversize): nothing to answer.
                }
            });
        }
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        try
        {
            loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }
}
