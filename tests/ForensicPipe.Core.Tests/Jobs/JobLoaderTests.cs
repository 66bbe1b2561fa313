using System.Text;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Jobs;
using ForensicPipe.Core.Jobs.Specs;
using ForensicPipe.Core.Stages.Verify;
using ForensicPipe.Core.Tests.TestSupport;

namespace ForensicPipe.Core.Tests.Jobs;

public class JobLoaderTests
{
    private static JobValidationException Refuse(string json) =>
        Assert.Throws<JobValidationException>(() => JobLoader.Parse(Encoding.UTF8.GetBytes(json), "job.json"));

    private const string Sinks = """ "sinks": [ { "type": "null" } ] """;

    [Fact]
    public void Parse_FullJob_ReadsEveryPart()
    {
        JobSpec job = JobLoader.Parse(Encoding.UTF8.GetBytes("""
            { "source": { "path": "a.toy", "type": "toy", "level": 3 },
              "stages": [ { "type": "verify", "onMismatch": "record" }, { "type": "fill", "pattern": "zero" },
                          { "type": "hash", "algorithms": ["md5", "sha256"], "window": 1048576 } ],
              "sinks": [ { "type": "raw-file", "path": "a.raw", "overwrite": true, "sparse": true }, { "type": "null" } ],
              "report": { "path": "r.json", "case": { "number": "1", "examiner": "x" } },
              "telemetry": { "console": true, "otlpEndpoint": "http://127.0.0.1:4317" },
              "bufferSize": 65536 }
            """), "job.json", ToySourceKind.Components());

        Assert.Equal(3, Assert.IsType<ToySourceSpec>(job.Source).Level);
        Assert.Equal(MismatchPolicy.Record, Assert.IsType<VerifyStageSpec>(job.Stages[0]).OnMismatch);
        Assert.Equal("zero", Assert.IsType<FillStageSpec>(job.Stages[1]).Pattern);
        Assert.Equal(1048576, Assert.IsType<HashStageSpec>(job.Stages[2]).Window);
        Assert.True(Assert.IsType<RawFileSinkSpec>(job.Sinks[0]).Sparse);
        Assert.Equal("x", job.Report!.Case!.Examiner);
        Assert.Equal(65536, job.BufferSize);
    }

    [Theory]
    [InlineData("""{ "source": { "type": "file", "path": "a" }, "sinks": [ { "type": "null" } ], "colour": 1 }""", "$.colour", "unknown field 'colour'")]
    [InlineData("""{ "source": { "type": "file", "path": "a", "mode": "x" }, "sinks": [ { "type": "null" } ] }""", "$.source.mode", "unknown field 'mode'")]
    [InlineData("""{ "source": { "type": "tape", "path": "a" }, "sinks": [ { "type": "null" } ] }""", "$.source", "unknown type 'tape'")]
    [InlineData("""{ "source": { "path": "a" }, "sinks": [ { "type": "null" } ] }""", "$.source", "missing \"type\"")]
    [InlineData("""{ "source": { "type": "file" }, "sinks": [ { "type": "null" } ] }""", "$.source", "missing required field(s) 'path'")]
    [InlineData("""{ "source": { "type": "file", "path": "a" } }""", "$", "missing required field(s) 'sinks'")]
    [InlineData("""{ "source": { "type": "file", "path": "a" }, "stages": [ { "type": "hash", "algorithms": ["md5"], "window": "big" } ], "sinks": [ { "type": "null" } ] }""", "$.stages[0].window", "expected an integer")]
    [InlineData("""{ "source": { "type": "file", "path": "a" }, "stages": [ { "type": "hash", "algorithms": ["md5"], "window": -4096 } ], "sinks": [ { "type": "null" } ] }""", "$.stages[0].window", "-4096 is not a positive number of bytes")]
    [InlineData("""{ "source": { "type": "file", "path": "a" }, "stages": [ { "type": "hash", "algorithms": ["md5", "crc64"] } ], "sinks": [ { "type": "null" } ] }""", "$.stages[0].algorithms[1]", "unknown algorithm 'crc64'")]
    [InlineData("""{ "source": { "type": "file", "path": "a" }, "stages": [ { "type": "hash", "algorithms": [] } ], "sinks": [ { "type": "null" } ] }""", "$.stages[0].algorithms", "name at least one algorithm")]
    [InlineData("""{ "source": { "type": "file", "path": "a" }, "stages": [ { "type": "fill", "pattern": "xyz" } ], "sinks": [ { "type": "null" } ] }""", "$.stages[0].pattern", "is not deadbeef, zero")]
    [InlineData("""{ "source": { "type": "file", "path": "a" }, "stages": [ { "type": "verify" } ], "sinks": [ { "type": "null" } ] }""", "$.stages[0]", "has no checksums")]
    [InlineData("""{ "source": { "type": "file", "path": "a" }, "stages": [ { "type": "verify", "onMismatch": "ignore" } ], "sinks": [ { "type": "null" } ] }""", "$.stages[0].onMismatch", "expected \"fail\" or \"record\"")]
    [InlineData("""{ "source": { "type": "file", "path": "a" }, "sinks": [] }""", "$.sinks", "at least one sink")]
    [InlineData("""{ "source": { "type": "file", "path": "a" }, "sinks": [ { "type": "raw-file", "path": "o" }, { "type": "raw-file", "path": "o" } ] }""", "$.sinks[1].path", "already the path of another sink")]
    [InlineData("""{ "source": { "type": "file", "path": "a" }, "sinks": [ { "type": "raw-file", "path": "o", "overwrite": "yes" } ] }""", "$.sinks[0].overwrite", "expected true or false")]
    [InlineData("""{ "source": { "type": "file", "path": "a" }, "sinks": [ { "type": "null" } ], "bufferSize": 1000 }""", "$.bufferSize", "not a multiple of 4096")]
    [InlineData("""{ "source": { "type": "file", "path": "a" }, "sinks": [ { "type": "null" } ], "stages": {} }""", "$.stages", "expected an array")]
    public void Parse_InvalidJob_NamesFileAndJsonPathInOneLine(string json, string path, string detail)
    {
        JobValidationException error = Refuse(json);

        Assert.Equal("job.json", error.File);
        Assert.Equal(path, error.JsonPath);
        Assert.Contains(detail, error.Message);
        Assert.StartsWith($"job.json: {path}: ", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain("System.", error.Message);
    }

    [Theory]
    [InlineData("{ \"source\": ")]
    [InlineData("not json")]
    [InlineData("{ \"source\": { \"type\": \"file\", \"path\": \"a\" }, " + Sinks + " } trailing")]
    [InlineData("")]
    public void Parse_MalformedJson_SaysMalformedWithLine(string json)
    {
        JobValidationException error = Refuse(json);

        Assert.Contains("malformed JSON at line", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Load_MissingFile_IsAJobError()
    {
        JobValidationException error = Assert.Throws<JobValidationException>(() => JobLoader.Load("/nonexistent/job.json"));
        Assert.Contains("does not exist", error.Message);
    }

    [Fact]
    public void Schema_ListsEveryTypeAndRejectsUnknownFields()
    {
        string schema = JobSchema.Generate(ToySourceKind.Components());

        foreach (string type in new[] { "\"file\"", "\"toy\"", "\"hash\"", "\"verify\"", "\"fill\"", "\"raw-file\"", "\"null\"" })
        {
            Assert.Contains($"\"const\": {type}", schema);
        }
        Assert.Contains("\"additionalProperties\": false", schema);
    }

    [Fact]
    public void Parse_SourceKindAdded_RejectsItsUnknownFieldsAndUnknownTypes()
    {
        JobComponents components = ToySourceKind.Components();
        JobValidationException unknownField = Assert.Throws<JobValidationException>(() => JobLoader.Parse(Encoding.UTF8.GetBytes(
            """{ "source": { "type": "toy", "path": "a", "colour": 1 }, "sinks": [ { "type": "null" } ] }"""), "job.json", components));
        JobValidationException unknownType = Assert.Throws<JobValidationException>(() => JobLoader.Parse(Encoding.UTF8.GetBytes(
            """{ "source": { "type": "toy", "path": "a" }, "sinks": [ { "type": "null" } ] }"""), "job.json"));

        Assert.Equal("job.json: $.source.colour: unknown field 'colour'", unknownField.Message);
        Assert.Equal("job.json: $.source: unknown type 'toy'", unknownType.Message);
    }

    [Fact]
    public void ToJson_SourceKindAdded_WritesItsTypeAndFields()
    {
        var job = new JobSpec { Source = new ToySourceSpec { Path = "a.toy", Level = 2 }, Sinks = [new NullSinkSpec()] };

        string json = JobLoader.ToJson(job, ToySourceKind.Components()).ToJsonString();

        Assert.Contains("\"type\":\"toy\"", json);
        Assert.Contains("\"level\":2", json);
    }

    [Fact]
    public void Parse_DeviceSourceWithOnlyAPath_KeepsTheDocumentedDefaults()
    {
        // The JSON source generator fills init-only properties through an object initializer, which used to write
        // false/0 over the initialisers of the fields a job leaves out (probe, retries, directIo).
        JobSpec job = JobLoader.Parse(Encoding.UTF8.GetBytes("""
            { "source": { "type": "device", "path": "/dev/sdb" }, "sinks": [ { "type": "null" } ] }
            """), "job.json");

        var device = Assert.IsType<DeviceSourceSpec>(job.Source);
        Assert.True(device.Probe);
        Assert.Equal(2, device.Retries);
        Assert.True(device.DirectIo);
        Assert.False(device.Resume);
    }
}
