using AutoMapper;
using CaseManagement.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CaseManagement.Tests.Operations;

public sealed class MappingTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public void Every_AutoMapper_map_is_complete()
    {
        var mapper = app.Factory.Services.GetRequiredService<IMapper>();

        mapper.ConfigurationProvider.AssertConfigurationIsValid();
    }
}
