package io.fidelis.bootstrap.graphql;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.IntValue;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import graphql.schema.GraphQLScalarType;

/** {@code DateTime} (ISO-8601 with offset, served in UTC) and {@code Long} (64-bit integer). */
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

	static final GraphQLScalarType LONG = GraphQLScalarType.newScalar().name("Long")
			.description("A 64-bit signed integer").coercing(new Coercing<Long, Long>() {

				@Override
				public Long serialize(Object value, GraphQLContext context, Locale locale) {
					if (value instanceof Long || value instanceof Integer || value instanceof Short) {
						return ((Number) value).longValue();
					}
					throw new CoercingSerializeException("Not a Long: " + value);
				}

				@Override
				public Long parseValue(Object input, GraphQLContext context, Locale locale) {
					if (input instanceof Long || input instanceof Integer || input instanceof Short) {
						return ((Number) input).longValue();
					}
					if (input instanceof java.math.BigInteger big) {
						try {
							return big.longValueExact();
						}
						catch (ArithmeticException e) {
							throw new CoercingParseValueException("Out of the Long range: " + input);
						}
					}
					if (input instanceof String text) {
						try {
							return Long.parseLong(text);
						}
						catch (NumberFormatException e) {
							throw new CoercingParseValueException("Not a whole number in the Long range: " + text);
						}
					}
					throw new CoercingParseValueException("Not a whole number: " + input);
				}

				@Override
				public Long parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context,
						Locale locale) {
					if (input instanceof IntValue number) {
						try {
							return number.getValue().longValueExact();
						}
						catch (ArithmeticException e) {
							throw new CoercingParseLiteralException("Out of the Long range: " + number.getValue());
						}
					}
					if (input instanceof StringValue text) {
						try {
							return Long.parseLong(text.getValue());
						}
						catch (NumberFormatException e) {
							throw new CoercingParseLiteralException("Not a whole number in the Long range: " + text.getValue());
						}
					}
					throw new CoercingParseLiteralException("A Long is a whole number");
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
