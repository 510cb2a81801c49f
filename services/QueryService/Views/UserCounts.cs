namespace QueryService.Views;

public sealed record UserCounts(long Active, long Deactivated);
