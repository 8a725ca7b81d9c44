using System.Buffers;
using System.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace CaseManagement.Documents;

/// <summary>
/// Row of <c>cases.document_contents</c>: one chunk (at most 1 MB) of a document's bytes, keyed by document and chunk
/// number, with the organisation and the case it belongs to (so that an erasure removes every chunk of the case).
/// Mapped for the schema comparison only; reads and writes go through <see cref="DocumentContents"/>.
/// </summary>
public sealed class DocumentContentChunk
{
    public Guid DocumentId { get; init; }

    public int Chunk { get; init; }

    public Guid OrganisationId { get; init; }

    public Guid CaseId { get; init; }

    public byte[] Content { get; init; } = [];

    public static void Configure(ModelBuilder builder, string schema)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Entity<DocumentContentChunk>(c =>
        {
            c.ToTable("document_contents", schema);
            c.HasKey(x => new { x.DocumentId, x.Chunk });
            c.Property(x => x.DocumentId).HasColumnName("document_id");
            c.Property(x => x.Chunk).HasColumnName("chunk");
            c.Property(x => x.OrganisationId).HasColumnName("organisation_id");
            c.Property(x => x.CaseId).HasColumnName("case_id");
            c.Property(x => x.Content).HasColumnName("content");
            c.HasIndex(x => new { x.OrganisationId, x.CaseId }).HasDatabaseName("ix_document_contents_case");
        });
    }
}

/// <summary>
/// The bytes of the documents, in PostgreSQL (every node sees them; nothing on a local disk), streamed in chunks of
/// <see cref="ChunkBytes"/>: an upload is read and inserted one chunk at a time and a download copies one chunk at a
/// time to the response, so the application's memory does not grow with the file (docs/performance.md).
/// </summary>
public sealed class DocumentContents(NpgsqlDataSource dataSource)
{
    /// <summary>1 MB per row: small enough to stream, large enough that a 20 MB file is 20 rows.</summary>
    public const int ChunkBytes = 1024 * 1024;

    /// <summary>Writes the whole stream (in one transaction) and answers the number of bytes written.</summary>
    public async Task<long> WriteAsync(Guid organisationId, Guid caseId, Guid documentId, Stream content, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await using var insert = new NpgsqlCommand(
                "insert into cases.document_contents (document_id, chunk, organisation_id, case_id, content) values ($1, $2, $3, $4, $5)", connection, transaction);
            var chunkParameter = new NpgsqlParameter<int>();
            // ReadOnlyMemory over the pooled buffer: Npgsql writes it to the socket as it is, without a copy per chunk.
            var contentParameter = new NpgsqlParameter<ReadOnlyMemory<byte>> { NpgsqlDbType = NpgsqlDbType.Bytea };
            insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = documentId });
            insert.Parameters.Add(chunkParameter);
            insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = organisationId });
            insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = caseId });
            insert.Parameters.Add(contentParameter);

            long total = 0;
            for (var chunk = 0; ; chunk++)
            {
                var read = await content.ReadAtLeastAsync(buffer.AsMemory(0, ChunkBytes), ChunkBytes, throwOnEndOfStream: false, ct);
                if (read == 0)
                {
                    break;
                }

                chunkParameter.TypedValue = chunk;
                contentParameter.TypedValue = buffer.AsMemory(0, read);
                await insert.ExecuteNonQueryAsync(ct);
                total += read;
                if (read < ChunkBytes)
                {
                    break;
                }
            }

            await transaction.CommitAsync(ct);
            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Copies the document's bytes to <paramref name="destination"/>, chunk by chunk; false when there are none.</summary>
    public async Task<bool> CopyToAsync(Guid organisationId, Guid caseId, Guid documentId, Stream destination, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(destination);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var select = new NpgsqlCommand(
            "select content from cases.document_contents where document_id = $1 and case_id = $2 and organisation_id = $3 order by chunk", connection)
        {
            Parameters = { new NpgsqlParameter<Guid> { TypedValue = documentId }, new NpgsqlParameter<Guid> { TypedValue = caseId }, new NpgsqlParameter<Guid> { TypedValue = organisationId } },
        };
        await using var reader = await select.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct);
        var any = false;
        while (await reader.ReadAsync(ct))
        {
            any = true;
            await using var chunk = await reader.GetStreamAsync(0, ct);
            await chunk.CopyToAsync(destination, ct);
        }

        return any;
    }

    /// <summary>Removes the document's bytes (its metadata stays in the case's events).</summary>
    public async Task DeleteAsync(Guid organisationId, Guid caseId, Guid documentId, CancellationToken ct)
    {
        await using var delete = dataSource.CreateCommand("delete from cases.document_contents where document_id = $1 and case_id = $2 and organisation_id = $3");
        delete.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = documentId });
        delete.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = caseId });
        delete.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = organisationId });
        await delete.ExecuteNonQueryAsync(ct);
    }
}
