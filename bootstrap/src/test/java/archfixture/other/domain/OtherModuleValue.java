package archfixture.other.domain;

/** Another module's domain type. */
public record OtherModuleValue(String value) {
}
