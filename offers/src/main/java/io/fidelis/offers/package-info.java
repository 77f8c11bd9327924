/**
 * Offers: personalized offers triggered by what members do. Built in its own issue; the module
 * exists so that the module graph and its rules hold from the start.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Offers", allowedDependencies = { "members", "points" })
package io.fidelis.offers;
