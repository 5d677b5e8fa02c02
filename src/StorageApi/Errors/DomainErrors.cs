namespace StorageApi.Errors;

/// <summary>
/// What the service's own rules refuse, said without HTTP: the API turns each kind into its problem response
/// (Problems/DomainProblems), the admin verbs print the message.
/// </summary>
public abstract class DomainException(string message) : Exception(message);

/// <summary>A value breaks a rule: a name, a field, a limit, a query.</summary>
public sealed class InvalidValueException(string message) : DomainException(message);

/// <summary>Something that does not exist, or that the caller may not learn exists (another tenant's object).</summary>
public sealed class NotFoundException(string what) : DomainException($"{what} does not exist");

/// <summary>Something with this name exists already.</summary>
public sealed class AlreadyExistsException(string message) : DomainException(message);

/// <summary>More bytes than a limit allows.</summary>
public sealed class TooLargeException(string message) : DomainException(message);

/// <summary>A signed link that was altered or signed with another key.</summary>
public sealed class LinkNotValidException(string message) : DomainException(message);

/// <summary>A signed link whose time is up.</summary>
public sealed class LinkExpiredException(string message) : DomainException(message);

/// <summary>The embedder could not be reached for work that cannot wait for the queue.</summary>
public sealed class EmbedderUnavailableException(string message) : DomainException(message);
