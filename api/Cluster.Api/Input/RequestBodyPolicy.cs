using Cluster.Api.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Cluster.Api.Input;

/// <summary>
/// Refuses, with a problem document, a body that is not JSON (every endpoint takes JSON) and a body over the limit: at once
/// when its Content-Length says so, and through the server's own limit (set here per request) when it arrives in chunks.
/// A chunked body reaches that limit only while an endpoint reads it, and the endpoint's body reader then sets a bare 413
/// without throwing; that answer is completed here with the same problem document.
/// </summary>
public sealed class RequestBodyPolicy(RequestDelegate next, IOptions<ApiOptions> api, IOptions<MessageCaps> caps)
{
    private readonly int _limit = api.Value.RequestBodyBytes(caps.Value);

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength > _limit)
        {
            await InputProblems.TooLarge(_limit).ExecuteAsync(context);
            return;
        }

        var hasBody = context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0;
        if (hasBody && !context.Request.HasJsonContentType())
        {
            await InputProblems.NotJson().ExecuteAsync(context);
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = _limit;
        }

        await next(context);

        if (context.Response.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted && context.Response.ContentType is null)
        {
            await InputProblems.TooLarge(_limit).ExecuteAsync(context);
        }
    }
}
