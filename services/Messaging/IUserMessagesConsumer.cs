using Accounts.Contracts;
using MassTransit;

namespace Accounts.Messaging;

/// <summary>
/// A consumer of every integration message about a user account, alone or in the relay's batches
/// (<see cref="UserMessageBatch"/>): each service's <c>UsersConsumer</c> is one. A new user message is one more line here,
/// and the compiler then asks every service to say what it does with it.
/// </summary>
public interface IUserMessagesConsumer :
    IConsumer<UserRegistered>, IConsumer<UserEmailChanged>, IConsumer<UserRenamed>, IConsumer<UserDeactivated>, IConsumer<UserReactivated>,
    IConsumer<UserErased>, IConsumer<UserMessageBatch>;
