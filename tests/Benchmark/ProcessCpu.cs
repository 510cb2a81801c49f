using System.Globalization;

namespace Accounts.Benchmark;

/// <summary>
/// CPU time of processes on this machine from /proc: utime + stime of /proc/PID/stat (fields 14 and 15), in seconds.
/// A process group is summed (the broker node we start: the rabbitmq-server shell we started leads it, and its children
/// beam.smp, erl_child_setup and its epmd are in it; the shell itself only waits, the VM's time is beam.smp's own).
/// </summary>
public static class ProcessCpu
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux

    /// <summary>One reading of every process: pid → (process group, command name, CPU seconds so far).</summary>
    public static Dictionary<int, (int Group, string Name, double Seconds)> ReadAll()
    {
        var result = new Dictionary<int, (int, string, double)>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Read(pid) is { } stat)
            {
                result[pid] = stat;
            }
        }
        return result;
    }

    /// <summary>The process group, command name and CPU seconds of one process, or null when it is gone.</summary>
    public static (int Group, string Name, double Seconds)? Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // "pid (comm) state ppid pgrp ...": after the name in parentheses, field 3 is the state, 5 the group, 14/15 the times.
        var open = text.IndexOf('(', StringComparison.Ordinal);
        var close = text.LastIndexOf(')');
        var fields = text[(close + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return (int.Parse(fields[2], CultureInfo.InvariantCulture), text[(open + 1)..close], ticks / TicksPerSecond);
    }

    /// <summary>
    /// The process listening on TCP <paramref name="port"/> of this machine (a broker or database given by URL that runs
    /// here), found by the socket's inode in /proc/net/tcp{,6} and /proc/PID/fd; null when none of ours is (e.g. remote).
    /// </summary>
    public static int? Listener(int port)
    {
        var inodes = new HashSet<string>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table))
            {
                continue;
            }
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                // sl local_address rem_address st ... inode: "0100007F:1628 00000000:0000 0A ... 12345"
                var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var local = columns[1];
                if (columns[3] == "0A" && int.Parse(local[(local.IndexOf(':', StringComparison.Ordinal) + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture) == port)
                {
                    inodes.Add($"socket:[{columns[9]}]");
                }
            }
        }
        if (inodes.Count == 0)
        {
            return null;
        }
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            try
            {
                if (Directory.EnumerateFileSystemEntries(Path.Combine(folder, "fd"))
                    .Any(fd => new FileInfo(fd).LinkTarget is { } target && inodes.Contains(target)))
                {
                    return pid;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // another user's process, or gone
            }
        }
        return null;
    }
}
