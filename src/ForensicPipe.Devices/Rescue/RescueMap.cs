namespace ForensicPipe.Devices.Rescue;

/// <summary>
/// The state of every byte of a rescue, as a ddrescue mapfile's block list holds it: areas contiguous from 0,
/// each finished (<c>+</c>), bad (<c>-</c>), or still to read (<c>?</c>, and ddrescue's <c>*</c> and
/// <c>/</c>, which this reader treats as not tried). Adjacent areas of one status are merged.
/// </summary>
public sealed class RescueMap
{
    private readonly List<MapfileArea> _areas = [];

    /// <summary>A map of <c>[0, end)</c> not tried.</summary>
    public RescueMap(long end)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(end);
        Mark(0, end, DdrescueMapfile.NonTried);
    }

    /// <summary>A map of the given areas, which must be contiguous from 0 (as <see cref="DdrescueMapfile.Parse(string)"/>
    /// checks).</summary>
    public RescueMap(IEnumerable<MapfileArea> areas)
    {
        ArgumentNullException.ThrowIfNull(areas);
        foreach (MapfileArea area in areas)
        {
            Mark(area.Position, area.Size, area.Status);
        }
    }

    /// <summary>The areas, ascending and contiguous from 0.</summary>
    public IReadOnlyList<MapfileArea> Areas => _areas;

    /// <summary>End of the last area.</summary>
    public long End => _areas.Count == 0 ? 0 : _areas[^1].Position + _areas[^1].Size;

    /// <summary>Bytes in areas of <paramref name="status"/>.</summary>
    public long BytesWith(char status) => _areas.Where(area => area.Status == status).Sum(area => area.Size);

    /// <summary>End of the last finished area (0 when none): what the output must hold at least.</summary>
    public long FinishedEnd => _areas.LastOrDefault(area => area.Status == DdrescueMapfile.Finished) is { Size: > 0 } last
        ? last.Position + last.Size : 0;

    /// <summary>Sets <c>[position, position + size)</c> to <paramref name="status"/>; past <see cref="End"/> the map
    /// grows (a gap before it becomes not tried).</summary>
    public void Mark(long position, long size, char status)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        if (size <= 0)
        {
            return;
        }
        long end = position + size;
        if (position > End)
        {
            Append(End, position - End, DdrescueMapfile.NonTried);
        }
        var result = new List<MapfileArea>(_areas.Count + 2);
        bool placed = false;
        foreach (MapfileArea area in _areas)
        {
            long areaEnd = area.Position + area.Size;
            if (areaEnd <= position || area.Position >= end)
            {
                if (!placed && area.Position >= end)
                {
                    Add(result, position, size, status);
                    placed = true;
                }
                Add(result, area.Position, area.Size, area.Status);
                continue;
            }
            if (area.Position < position)
            {
                Add(result, area.Position, position - area.Position, area.Status);
            }
            if (!placed)
            {
                Add(result, position, size, status);
                placed = true;
            }
            if (areaEnd > end)
            {
                Add(result, end, areaEnd - end, area.Status);
            }
        }
        if (!placed)
        {
            Add(result, position, size, status);
        }
        _areas.Clear();
        _areas.AddRange(result);
    }

    private void Append(long position, long size, char status) => Add(_areas, position, size, status);

    private static void Add(List<MapfileArea> areas, long position, long size, char status)
    {
        if (size <= 0)
        {
            return;
        }
        if (areas.Count > 0 && areas[^1].Status == status && areas[^1].Position + areas[^1].Size == position)
        {
            areas[^1] = areas[^1] with { Size = areas[^1].Size + size };
            return;
        }
        areas.Add(new MapfileArea(position, size, status));
    }
}
