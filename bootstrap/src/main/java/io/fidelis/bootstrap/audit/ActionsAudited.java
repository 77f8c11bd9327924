package io.fidelis.bootstrap.audit;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import graphql.GraphQLError;
import graphql.language.ArrayValue;
import graphql.language.BooleanValue;
import graphql.language.Document;
import graphql.language.EnumValue;
import graphql.language.Field;
import graphql.language.FloatValue;
import graphql.language.IntValue;
import graphql.language.ObjectValue;
import graphql.language.OperationDefinition;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.language.VariableReference;
import graphql.parser.Parser;
import io.fidelis.members.Caller;
import reactor.core.publisher.Mono;

/**
 * Records every mutation by staff or an integration client in the {@link AuditTrail}, refused
 * ones included (a wrong program, a missing role, bad input): one entry per mutation field, with
 * the error code it answered. It sees every request, so an operation added later is audited
 * without anyone remembering to. A staff action's answer waits until its entries are stored;
 * should that fail, the action (already done) is answered all the same and the failure logged as
 * an error. A client's entries are written in batches after the answer ({@link AuditTrail}).
 * Members acting for themselves are not audited here: their own data says what they did.
 */
@Component
@Order(org.springframework.core.Ordered.HIGHEST_PRECEDENCE + 1) // inside the WebSocket caller, outside the error codes
class ActionsAudited implements WebGraphQlInterceptor {

	private static final Logger log = LoggerFactory.getLogger(ActionsAudited.class);
	private static final Duration MOST_WAIT = Duration.ofSeconds(5);

	/** A mutation's root field and its arguments, variables still to fill in. */
	record Action(String operation, Map<String, Value<?>> arguments) {
	}

	private final AuditTrail trail;
	private final Clock clock;
	/**
	 * Documents repeat: each is read for its mutations once (empty: not a mutation). Bounded by
	 * characters, since one document may be as large as a request.
	 */
	private final Cache<Sent, List<Action>> actions = Caffeine.newBuilder().maximumWeight(4_000_000)
			.<Sent, List<Action>>weigher((sent, found) -> sent.text().length()).build();

	/** A document as sent, with the operation it names: the key of what was read from it (no copy of the text). */
	private record Sent(String text, String operationName) {
	}

	ActionsAudited(AuditTrail trail, Clock clock) {
		this.trail = trail;
		this.clock = clock;
	}

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		if (request.getDocument() == null || !request.getDocument().contains("mutation")) {
			return chain.next(request); // a mutation says so: anything else is a query or a subscription
		}
		return Mono.deferContextual(context -> {
			Caller caller = callerOf(context.<SecurityContext>getOrEmpty(SecurityContext.class.getName())
					.orElseGet(SecurityContextHolder::getContext));
			if (!(caller instanceof Caller.Staff) && !(caller instanceof Caller.IntegrationClient)) {
				return chain.next(request);
			}
			List<Action> done = actionsOf(request);
			if (done.isEmpty()) {
				return chain.next(request);
			}
			boolean answerWaits = caller instanceof Caller.Staff;
			return chain.next(request).flatMap(response -> {
				List<java.util.concurrent.CompletableFuture<Void>> stored = new ArrayList<>();
				for (Action action : done) {
					stored.add(trail.record(entry(caller, action, request.getVariables(), response), answerWaits));
				}
				var all = java.util.concurrent.CompletableFuture.allOf(stored.toArray(java.util.concurrent.CompletableFuture[]::new));
				if (!answerWaits) {
					all.whenComplete((ok, e) -> {
						if (e != null) {
							lost(caller, done, e);
						}
					});
					return Mono.just(response);
				}
				return Mono.fromFuture(all).timeout(MOST_WAIT).onErrorResume(e -> {
					lost(caller, done, e);
					return Mono.empty();
				}).thenReturn(response);
			});
		});
	}

	private static void lost(Caller caller, List<Action> done, Throwable e) {
		log.error("Actions by {} ({}) were answered without their audit entries: {}", caller.key(),
				done.stream().map(Action::operation).toList(), e.toString());
	}

	private static Caller callerOf(SecurityContext context) {
		Authentication authentication = context == null ? null : context.getAuthentication();
		return authentication != null && authentication.getPrincipal() instanceof Caller caller ? caller : null;
	}

	/** The mutation fields the request runs; none for a query, a subscription or a document that does not parse. */
	List<Action> actionsOf(WebGraphQlRequest request) {
		String text = request.getDocument();
		String operationName = request.getOperationName();
		return actions.get(new Sent(text, operationName), sent -> parse(sent.text(), sent.operationName()));
	}

	private static List<Action> parse(String text, String operationName) {
		Document document;
		try {
			document = Parser.parse(text);
		}
		catch (RuntimeException e) {
			return List.of(); // refused by the engine as it would be anyway; nothing ran
		}
		List<OperationDefinition> operations = document.getDefinitionsOfType(OperationDefinition.class);
		Optional<OperationDefinition> chosen = operations.stream()
				.filter(o -> operationName == null ? operations.size() == 1 : operationName.equals(o.getName())).findFirst();
		if (chosen.isEmpty() || chosen.get().getOperation() != OperationDefinition.Operation.MUTATION) {
			return List.of();
		}
		List<Action> found = new ArrayList<>();
		for (var selection : chosen.get().getSelectionSet().getSelections()) {
			if (selection instanceof Field field && !field.getName().startsWith("__")) {
				Map<String, Value<?>> arguments = new java.util.LinkedHashMap<>();
				field.getArguments().forEach(a -> arguments.put(a.getName(), a.getValue()));
				found.add(new Action(field.getName(), arguments));
			}
		}
		return List.copyOf(found);
	}

	private AuditEntry entry(Caller caller, Action action, Map<String, Object> variables, WebGraphQlResponse response) {
		Map<String, Object> arguments = new java.util.LinkedHashMap<>();
		action.arguments().forEach((name, value) -> arguments.put(name, valueOf(value, variables)));
		Object input = arguments.get("input");
		Map<?, ?> named = input instanceof Map<?, ?> map ? map : Map.of();
		String program = text(arguments.get("programId"), named.get("programId"),
				action.operation().equals("defineProgram") ? named.get("id") : null);
		Set<String> members = new LinkedHashSet<>();
		for (Object id : new Object[] { arguments.get("memberId"), named.get("memberId"), named.get("fromMemberId"),
				named.get("toMemberId"), named.get("member") instanceof Map<?, ?> m ? m.get("memberId") : null }) {
			if (id instanceof String s && !s.isBlank()) {
				members.add(s);
			}
		}
		java.time.Instant at = clock.instant();
		if (caller instanceof Caller.Staff staff) {
			return new AuditEntry(AuditTrail.newId(at), at, action.operation(), outcome(action, response), "STAFF",
					staff.subject(), staff.roles().stream().sorted().toList(), List.of(),
					staff.programs().stream().sorted().toList(), program, List.copyOf(members));
		}
		Caller.IntegrationClient client = (Caller.IntegrationClient) caller;
		return new AuditEntry(AuditTrail.newId(at), at, action.operation(), outcome(action, response), "CLIENT",
				client.clientId(), List.of(), client.scopes().stream().sorted().toList(),
				client.programs().stream().sorted().toList(), program, List.copyOf(members));
	}

	/** OK, or the code of the first error on this field (or on the whole request: it did not run). */
	private static String outcome(Action action, WebGraphQlResponse response) {
		for (GraphQLError error : response.getExecutionResult().getErrors()) {
			List<Object> path = error.getPath();
			if (path == null || path.isEmpty() || action.operation().equals(path.get(0))) {
				Object code = error.getExtensions() == null ? null : error.getExtensions().get("code");
				return code == null ? "ERROR" : code.toString();
			}
		}
		return "OK";
	}

	private static String text(Object... candidates) {
		for (Object candidate : candidates) {
			if (candidate instanceof String s && !s.isBlank()) {
				return s.length() > 200 ? s.substring(0, 200) : s;
			}
		}
		return null;
	}

	/** A literal argument as Java values, a variable as the request sent it. */
	static Object valueOf(Value<?> value, Map<String, Object> variables) {
		if (value instanceof VariableReference reference) {
			return variables == null ? null : variables.get(reference.getName());
		}
		if (value instanceof StringValue s) {
			return s.getValue();
		}
		if (value instanceof EnumValue e) {
			return e.getName();
		}
		if (value instanceof IntValue i) {
			return i.getValue();
		}
		if (value instanceof FloatValue f) {
			return f.getValue();
		}
		if (value instanceof BooleanValue b) {
			return b.isValue();
		}
		if (value instanceof ArrayValue array) {
			return array.getValues().stream().map(v -> valueOf(v, variables)).toList();
		}
		if (value instanceof ObjectValue object) {
			Map<String, Object> fields = new java.util.LinkedHashMap<>();
			object.getObjectFields().forEach(f -> fields.put(f.getName(), valueOf(f.getValue(), variables)));
			return fields;
		}
		return null;
	}
}
