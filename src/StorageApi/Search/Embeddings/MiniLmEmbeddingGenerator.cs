using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Tokenizers;

namespace StorageApi.Search.Embeddings;

/// <summary>
/// A sentence embedder that runs on this machine: all-MiniLM-L6-v2 (384 dimensions) through ONNX Runtime on the CPU,
/// from a folder holding its <c>model.onnx</c> and <c>vocab.txt</c>. Texts longer than the model's window are cut into
/// windows of <see cref="WindowTokens"/> tokens, embedded apart and averaged (weighted by their tokens), never silently
/// truncated. Windows are batched by length, so one long text does not pad a whole batch; one inference thread keeps
/// the embedder from taking the cores requests need.
/// </summary>
public sealed class MiniLmEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public const string ModelId = "all-MiniLM-L6-v2";
    public const int Dimensions = 384;

    /// <summary>The model was trained on 256 word pieces: its two special tokens and 254 of the text.</summary>
    public const int WindowTokens = 254;

    private const int BatchWindows = 16;

    public static readonly EmbedderIdentity Identity = new(EmbedderIdentity.LocalProvider, null, ModelId);
    private static readonly EmbeddingGeneratorMetadata Metadata = new(EmbedderIdentity.LocalProvider, null, ModelId, Dimensions);

    private readonly InferenceSession _session;
    private readonly BertTokenizer _tokenizer;
    private readonly bool _takesTokenTypes;
    private readonly Lock _gate = new(); // one inference at a time: the session's single thread is the cap

    public MiniLmEmbeddingGenerator(string modelFolder)
    {
        var options = new Microsoft.ML.OnnxRuntime.SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
        _session = new InferenceSession(Path.Combine(modelFolder, "model.onnx"), options);
        _tokenizer = BertTokenizer.Create(Path.Combine(modelFolder, "vocab.txt"));
        _takesTokenTypes = _session.InputMetadata.ContainsKey("token_type_ids");
    }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var texts = values.ToList();
        var now = DateTimeOffset.UtcNow;
        // Every text's windows of word pieces, without the special tokens each window gets around it.
        var windows = texts.SelectMany((text, index) => Windows(text).Select(ids => (Text: index, Ids: ids))).ToList();
        var sums = texts.Select(_ => new float[Dimensions]).ToList();
        foreach (var batch in windows.OrderBy(w => w.Ids.Length).Chunk(BatchWindows))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var vectors = Run([.. batch.Select(w => w.Ids)]);
            for (var i = 0; i < batch.Length; i++)
                TensorPrimitives.MultiplyAdd(vectors[i], batch[i].Ids.Length + 2, sums[batch[i].Text], sums[batch[i].Text]); // its tokens, with the two special ones
        }
        var embeddings = sums.Select(sum =>
        {
            var norm = TensorPrimitives.Norm(sum);
            if (norm > 0) TensorPrimitives.Divide(sum, norm, sum);
            return new Embedding<float>(sum) { ModelId = ModelId, CreatedAt = now };
        });
        return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(embeddings));
    }

    /// <summary>The text's word pieces in windows of at most <see cref="WindowTokens"/>; an empty text is one empty window.</summary>
    private IEnumerable<int[]> Windows(string text)
    {
        var ids = _tokenizer.EncodeToIds(text, addSpecialTokens: false);
        if (ids.Count == 0) return [[]];
        return ids.Chunk(WindowTokens);
    }

    /// <summary>One batch through the model: mean of the last hidden states over real tokens, unit length, per window.</summary>
    private float[][] Run(IReadOnlyList<int[]> batch)
    {
        var length = batch.Max(w => w.Length) + 2;
        var inputIds = new DenseTensor<long>([batch.Count, length]);
        var mask = new DenseTensor<long>([batch.Count, length]);
        for (var row = 0; row < batch.Count; row++)
        {
            var ids = batch[row];
            inputIds[row, 0] = _tokenizer.ClassificationTokenId;
            for (var i = 0; i < ids.Length; i++) inputIds[row, i + 1] = ids[i];
            inputIds[row, ids.Length + 1] = _tokenizer.SeparatorTokenId;
            for (var i = ids.Length + 2; i < length; i++) inputIds[row, i] = _tokenizer.PaddingTokenId;
            for (var i = 0; i < ids.Length + 2; i++) mask[row, i] = 1;
        }
        var inputs = new List<NamedOnnxValue> { NamedOnnxValue.CreateFromTensor("input_ids", inputIds), NamedOnnxValue.CreateFromTensor("attention_mask", mask) };
        if (_takesTokenTypes) inputs.Add(NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>([batch.Count, length])));

        lock (_gate)
        {
            using var results = _session.Run(inputs);
            var hidden = results[0].AsTensor<float>(); // [batch, length, 384]
            var vectors = new float[batch.Count][];
            for (var row = 0; row < batch.Count; row++)
            {
                var vector = new float[Dimensions];
                var tokens = batch[row].Length + 2;
                for (var t = 0; t < tokens; t++)
                    for (var d = 0; d < Dimensions; d++) vector[d] += hidden[row, t, d];
                TensorPrimitives.Divide(vector, TensorPrimitives.Norm(vector), vector);
                vectors[row] = vector;
            }
            return vectors;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? Metadata
        : null;

    public void Dispose() => _session.Dispose();
}
