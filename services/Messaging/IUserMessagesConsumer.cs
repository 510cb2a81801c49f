using Accounts.Contracts;
using MassTransit;

namespace Accounts.Messaging;

/// <summary>
/// A consumer of every integration message about a user account: each service's <c>UsersConsumer</c> is one. A new user
/// message is one more line here (and the relay publishes them in batches, <see cref="UserMessageBatch"/>), and the compiler then asks every service to say what it does with it.
/// </summary>
public interface IUserMessagesConsumer :
    IConsumer<UserRegistered>, IConsumer<UserEmailChanged>, IConsumer<UserRenamed>, IConsumer<UserDeactivated>, IConsumer<UserReactivated>,
    IConsumer<UserErased>, IConsumer<UserMessageBatch>;
