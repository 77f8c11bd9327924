package io.fidelis.cards.adapter.out.wallet;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Throw-away credentials so that the run command works with nothing to set up: a CA standing in
 * for Apple's WWDR, a Pass Type ID certificate it issued, and a Google service-account key.
 * Passes signed with them do not install on a real phone; production configures Apple's and
 * Google's (see README).
 */
public final class DevelopmentCredentials {

	private DevelopmentCredentials() {
	}

	/** A certificate with its key, and the chain above it. */
	public record Issued(X509Certificate certificate, PrivateKey key) {

		public String certificatePem() {
			return pem(certificate);
		}

		public String keyPem() {
			return pem(key);
		}
	}

	public static Issued authority(String name, Instant from, Instant until) {
		KeyPair pair = rsa();
		X500Name subject = new X500Name("CN=" + name + ", O=Fidelis development");
		return new Issued(sign(new JcaX509v3CertificateBuilder(subject, serial(), Date.from(from), Date.from(until), subject,
				pair.getPublic()), pair.getPrivate(), true, null), pair.getPrivate());
	}

	/** A Pass Type ID certificate as Apple issues them: UID = pass type id, OU = team id. */
	public static Issued passCertificate(Issued authority, String passTypeIdentifier, String teamIdentifier,
			Instant from, Instant until) {
		KeyPair pair = rsa();
		X500Name subject = new X500Name("UID=" + passTypeIdentifier + ", CN=Pass Type ID: " + passTypeIdentifier
				+ ", OU=" + teamIdentifier + ", O=Fidelis development, C=FR");
		return new Issued(sign(new JcaX509v3CertificateBuilder(X500Name.getInstance(
				authority.certificate().getSubjectX500Principal().getEncoded()), serial(), Date.from(from),
				Date.from(until), subject, pair.getPublic()), authority.key(), false, null), pair.getPrivate());
	}

	/** A TLS server certificate for {@code host} (a local APNs or Google stand-in in tests). */
	public static Issued serverCertificate(Issued authority, String host, Instant from, Instant until) {
		KeyPair pair = rsa();
		return new Issued(sign(new JcaX509v3CertificateBuilder(X500Name.getInstance(
				authority.certificate().getSubjectX500Principal().getEncoded()), serial(), Date.from(from),
				Date.from(until), new X500Name("CN=" + host), pair.getPublic()), authority.key(), false, host),
				pair.getPrivate());
	}

	public static KeyPair rsa() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException(e);
		}
	}

	public static String pem(Object value) {
		StringWriter out = new StringWriter();
		try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
			writer.writeObject(value);
		}
		catch (IOException e) {
			throw new IllegalStateException(e);
		}
		return out.toString();
	}

	private static BigInteger serial() {
		return new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE);
	}

	private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey, boolean authority,
			String host) {
		try {
			builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
			builder.addExtension(Extension.keyUsage, true, authority
					? new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)
					: new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
			if (host != null) {
				builder.addExtension(Extension.subjectAlternativeName, false,
						new GeneralNames(host.matches("[0-9.]+") ? new GeneralName(GeneralName.iPAddress, host)
								: new GeneralName(GeneralName.dNSName, host)));
			}
			return new JcaX509CertificateConverter()
					.getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey)));
		}
		catch (IOException | OperatorCreationException | GeneralSecurityException e) {
			throw new IllegalStateException(e);
		}
	}
}
