package io.fidelis.bootstrap.graphql;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.execution.RuntimeWiringConfigurer;

import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;

/**
 * The GraphQL runtime every module shares: custom scalars, limits against abusive queries, and
 * error codes on every error.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GraphQlConfiguration.Limits.class)
class GraphQlConfiguration {

	/**
	 * @param maxDepth      deepest selection a query may have
	 * @param maxComplexity most fields a query may select in all (each field counts one, lists too)
	 * @param maxRequestBytes largest request body accepted (2 MiB)
	 * @param documentCacheCharacters parsed documents kept, counted by the length of their text (8 Mi characters)
	 * @param persistedQueryCharacters documents kept for automatic persisted queries, by their length (8 Mi characters)
	 */
	@ConfigurationProperties("fidelis.graphql")
	record Limits(@DefaultValue("12") int maxDepth, @DefaultValue("500") int maxComplexity,
			@DefaultValue("2097152") int maxRequestBytes, @DefaultValue("8388608") long documentCacheCharacters,
			@DefaultValue("8388608") long persistedQueryCharacters) {
	}

	/** Each document is parsed and validated once, not on every request. */
	@Bean
	ParsedDocuments parsedDocuments(Limits limits) {
		return new ParsedDocuments(limits.documentCacheCharacters());
	}

	@Bean
	io.micrometer.core.instrument.binder.MeterBinder parsedDocumentsMetrics(ParsedDocuments documents) {
		return documents::measure;
	}

	@Bean
	GraphQlSourceBuilderCustomizer cachedDocuments(ParsedDocuments documents) {
		return builder -> builder.configureGraphQl(graphQl -> graphQl.preparsedDocumentProvider(documents));
	}

	/** Checks the shape and size of every request to /graphql before the engine sees it; takes GETs and hashes. */
	@Bean
	org.springframework.boot.web.servlet.FilterRegistrationBean<RequestShape> graphQlRequestShape(Limits limits) {
		var registration = new org.springframework.boot.web.servlet.FilterRegistrationBean<>(
				new RequestShape(limits.maxRequestBytes(), new PersistedQueries(limits.persistedQueryCharacters())));
		registration.addUrlPatterns("/graphql");
		return registration;
	}

	/**
	 * Spring GraphQL's HTTP handler, as Spring Boot builds it, with a JSON converter that takes the
	 * request {@link RequestShape} parsed: each body is parsed once.
	 */
	@Bean
	org.springframework.graphql.server.webmvc.GraphQlHttpHandler graphQlHttpHandler(
			org.springframework.graphql.server.WebGraphQlHandler handler,
			org.springframework.beans.factory.ObjectProvider<org.springframework.boot.http.converter.autoconfigure.ServerHttpMessageConvertersCustomizer> customizers) {
		return new org.springframework.graphql.server.webmvc.GraphQlHttpHandler(handler,
				new ParsedOnce(ParsedOnce.jsonConverter(customizers)));
	}

	@Bean
	RuntimeWiringConfigurer fidelisScalars() {
		return wiring -> wiring.scalar(Scalars.DATE_TIME).scalar(Scalars.LONG).scalar(Scalars.DATE).scalar(Scalars.CURRENCY)
				.scalar(Scalars.DECIMAL);
	}

	/** Query.node: any object by its global id, answered by its type's own query. */
	@Bean
	RuntimeWiringConfigurer globalIds() {
		return new GlobalIds();
	}

	/** Depth and complexity are graphql-java's own checks, run once per document and operation. */
	@Bean
	LimitsPerDocument maxQueryDepth(Limits limits) {
		return new LimitsPerDocument(new MaxQueryDepthInstrumentation(limits.maxDepth()));
	}

	@Bean
	LimitsPerDocument maxQueryComplexity(Limits limits) {
		return new LimitsPerDocument(new MaxQueryComplexityInstrumentation(limits.maxComplexity()));
	}

	/** Codes on every error; a field that does not exist is answered with the type's fields and the closest one. */
	@Bean
	ErrorCodes errorCodes(org.springframework.beans.factory.ObjectProvider<org.springframework.graphql.execution.GraphQlSource> source) {
		return new ErrorCodes(new FieldHints(() -> source.getObject().schema()));
	}

	@Bean
	StrictIdInputs strictIdInputs() {
		return new StrictIdInputs();
	}

	@Bean
	UnexpectedSubscriptionErrors unexpectedSubscriptionErrors() {
		return new UnexpectedSubscriptionErrors();
	}

	@Bean
	OperationMetrics operationMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
		return new OperationMetrics(registry);
	}

	@Bean
	WhoMayAsk whoMayAsk() {
		return new WhoMayAsk();
	}

	@Bean
	UnexpectedErrors unexpectedErrors() {
		return new UnexpectedErrors();
	}
}
