package io.fidelis.bootstrap.graphql;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.scalars.ExtendedScalars;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import graphql.schema.GraphQLScalarType;

/**
 * The schema's scalars. {@code DateTime} is Fidelis' own, since the library's answers
 * java.time.OffsetDateTime and Fidelis' values are Instants (served in UTC); {@code Long},
 * {@code Date} and {@code Currency} are graphql-java-extended-scalars'; {@code Decimal} parses as
 * the library's BigDecimal and answers strings.
 */
final class Scalars {

	private Scalars() {
	}

	static final GraphQLScalarType DATE_TIME = GraphQLScalarType.newScalar().name("DateTime")
			.description("An instant, ISO-8601 with an offset").coercing(new Coercing<Instant, String>() {

				@Override
				public String serialize(Object value, GraphQLContext context, Locale locale) {
					if (value instanceof Instant instant) {
						return DateTimeFormatter.ISO_INSTANT.format(instant);
					}
					if (value instanceof OffsetDateTime odt) {
						return DateTimeFormatter.ISO_INSTANT.format(odt.toInstant());
					}
					throw new CoercingSerializeException("Not a DateTime: " + value);
				}

				@Override
				public Instant parseValue(Object input, GraphQLContext context, Locale locale) {
					if (input instanceof String text) {
						return parse(text, CoercingParseValueException::new);
					}
					throw new CoercingParseValueException("A DateTime is a string such as 2026-11-27T09:30:00Z");
				}

				@Override
				public Instant parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context,
						Locale locale) {
					if (input instanceof StringValue text) {
						return parse(text.getValue(), CoercingParseLiteralException::new);
					}
					throw new CoercingParseLiteralException("A DateTime is a string such as 2026-11-27T09:30:00Z");
				}
			}).build();

	/** graphql-java-extended-scalars' Long: a whole number (or a string of one) in the 64-bit range. */
	static final GraphQLScalarType LONG = ExtendedScalars.GraphQLLong;

	/** graphql-java-extended-scalars' Date: a calendar day, YYYY-MM-DD, as java.time.LocalDate. */
	static final GraphQLScalarType DATE = ExtendedScalars.Date;

	/** graphql-java-extended-scalars' Currency: an ISO 4217 code, as java.util.Currency. */
	static final GraphQLScalarType CURRENCY = ExtendedScalars.Currency;

	/**
	 * A decimal number. Inputs are parsed by graphql-java-extended-scalars' BigDecimal (a string or
	 * a number); answers are strings in plain notation, every digit kept: a JSON number would be a
	 * floating-point number in JavaScript, and 2.50 would come back as 2.5.
	 */
	static final GraphQLScalarType DECIMAL = GraphQLScalarType.newScalar().name("Decimal")
			.description("A decimal number, answered as a string such as \"19.90\"; a string or a number as input")
			.coercing(new Coercing<BigDecimal, String>() {

				@SuppressWarnings("unchecked")
				private final Coercing<BigDecimal, BigDecimal> parsing = (Coercing<BigDecimal, BigDecimal>) ExtendedScalars.GraphQLBigDecimal
						.getCoercing();

				@Override
				public String serialize(Object value, GraphQLContext context, Locale locale) {
					if (value instanceof BigDecimal decimal) {
						return decimal.toPlainString();
					}
					if (value instanceof String text) {
						try {
							return new BigDecimal(text).toPlainString();
						}
						catch (NumberFormatException e) {
							throw new CoercingSerializeException("Not a Decimal: " + text);
						}
					}
					if (value instanceof Long || value instanceof Integer) {
						return value.toString();
					}
					throw new CoercingSerializeException("Not a Decimal: " + value);
				}

				@Override
				public BigDecimal parseValue(Object input, GraphQLContext context, Locale locale) {
					return parsing.parseValue(input, context, locale);
				}

				@Override
				public BigDecimal parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context,
						Locale locale) {
					return parsing.parseLiteral(input, variables, context, locale);
				}

				@Override
				public Value<?> valueToLiteral(Object input, GraphQLContext context, Locale locale) {
					return StringValue.of(serialize(input, context, locale));
				}
			}).build();

	private static <E extends RuntimeException> Instant parse(String text,
			java.util.function.Function<String, E> failure) {
		try {
			return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).withOffsetSameInstant(ZoneOffset.UTC)
					.toInstant();
		}
		catch (DateTimeParseException e) {
			throw failure.apply("'" + text + "' is not an ISO-8601 date-time with an offset, e.g. 2026-11-27T09:30:00Z");
		}
	}
}
