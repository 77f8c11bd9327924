package io.fidelis.cards.adapter.out.wallet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTCTime;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.x509.Attribute;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.SignerInfoGeneratorBuilder;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.util.Store;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A pass's .pkpass archive: {@code pass.json}, the design's files, {@code manifest.json} (each
 * file's SHA-1) and {@code signature} (a detached PKCS #7 signature of the manifest by the pass
 * certificate, with the WWDR intermediate and the signing time, as jpasskit writes it).
 *
 * <p>Made for re-issuing a whole program at once: what does not change from pass to pass is
 * prepared once (the design's files with their digests and checksums, the certificates in
 * signing form), the RSA signature is the JDK's own (BouncyCastle's blinded RSA recomputed an
 * inverse and re-checked the key on every pass), and the images, PNGs already compressed, are
 * deflated once per design, not once per pass. Thread-safe: nothing mutable is shared.
 */
final class PassArchives {

	private static final String SIGNATURE_ALGORITHM = "SHA1withRSA";

	/** A design's files, ready to go into every one of its passes: digested and compressed once. */
	record Files(Map<String, String> sha1, Map<String, Entry> entries) {

		static Files of(Map<String, byte[]> content) {
			Map<String, String> sha1 = new LinkedHashMap<>();
			Map<String, Entry> entries = new LinkedHashMap<>();
			content.forEach((name, bytes) -> {
				sha1.put(name, PassArchives.sha1(bytes));
				entries.put(name, Entry.of(name, bytes, Deflater.BEST_COMPRESSION));
			});
			return new Files(java.util.Collections.unmodifiableMap(sha1), java.util.Collections.unmodifiableMap(entries));
		}
	}

	/** A zip entry, deflated, with what its headers say. */
	record Entry(byte[] name, byte[] deflated, long crc, int size) {

		static Entry of(String name, byte[] content, int level) {
			CRC32 crc = new CRC32();
			crc.update(content);
			Deflater deflater = new Deflater(level, true);
			try {
				deflater.setInput(content);
				deflater.finish();
				ByteArrayOutputStream out = new ByteArrayOutputStream(content.length / 2 + 64);
				byte[] buffer = new byte[8192];
				while (!deflater.finished()) {
					out.write(buffer, 0, deflater.deflate(buffer));
				}
				return new Entry(name.getBytes(java.nio.charset.StandardCharsets.UTF_8), out.toByteArray(), crc.getValue(),
						content.length);
			}
			finally {
				deflater.end();
			}
		}
	}

	private final PrivateKey key;
	private final X509CertificateHolder signer;
	private final Store<X509CertificateHolder> certificates;
	private final DigestCalculatorProvider digests;
	private final ObjectMapper json = new ObjectMapper();

	PassArchives(PrivateKey key, X509Certificate passCertificate, X509Certificate wwdr) {
		this.key = key;
		try {
			this.signer = new JcaX509CertificateHolder(passCertificate);
			this.certificates = new JcaCertStore(List.of(wwdr, passCertificate));
			this.digests = new JcaDigestCalculatorProviderBuilder().build();
		}
		catch (CertificateEncodingException | OperatorCreationException e) {
			throw new IllegalStateException("The pass certificates cannot be prepared for signing: " + e.getMessage(), e);
		}
	}

	/** The signed, zipped pass: its pass.json (as bytes) with the design's files. */
	byte[] write(byte[] passJson, Files files) throws IOException {
		Map<String, String> manifest = new LinkedHashMap<>();
		manifest.put("pass.json", sha1(passJson));
		manifest.putAll(files.sha1());
		byte[] manifestJson = json.writeValueAsBytes(manifest);
		byte[] signature = sign(manifestJson);

		List<Entry> entries = new java.util.ArrayList<>(files.entries().size() + 3);
		entries.add(Entry.of("pass.json", passJson, Deflater.BEST_SPEED));
		entries.addAll(files.entries().values());
		entries.add(Entry.of("manifest.json", manifestJson, Deflater.BEST_SPEED));
		entries.add(Entry.of("signature", signature, Deflater.BEST_SPEED));
		return zip(entries);
	}

	/**
	 * A zip of already deflated entries (the JDK's {@code ZipOutputStream} deflates every entry
	 * anew: the design's images, a third of a pass's time). Local headers carry sizes and CRC, so
	 * there are no data descriptors; no extra fields, no ZIP64 (a pass is well under 4 GiB).
	 */
	static byte[] zip(List<Entry> entries) {
		java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(entries.stream()
				.mapToInt(e -> 30 + 46 + 2 * e.name().length + e.deflated().length).sum() + 22)
				.order(java.nio.ByteOrder.LITTLE_ENDIAN);
		int[] offsets = new int[entries.size()];
		for (int i = 0; i < entries.size(); i++) {
			Entry e = entries.get(i);
			offsets[i] = out.position();
			out.putInt(0x04034b50).putShort((short) 20).putShort((short) 0x0800).putShort((short) 8);
			out.putShort(DOS_TIME).putShort(DOS_DATE).putInt((int) e.crc()).putInt(e.deflated().length).putInt(e.size());
			out.putShort((short) e.name().length).putShort((short) 0).put(e.name()).put(e.deflated());
		}
		int directory = out.position();
		for (int i = 0; i < entries.size(); i++) {
			Entry e = entries.get(i);
			out.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) 0x0800).putShort((short) 8);
			out.putShort(DOS_TIME).putShort(DOS_DATE).putInt((int) e.crc()).putInt(e.deflated().length).putInt(e.size());
			out.putShort((short) e.name().length).putShort((short) 0).putShort((short) 0).putShort((short) 0)
					.putShort((short) 0).putInt(0).putInt(offsets[i]).put(e.name());
		}
		int directorySize = out.position() - directory;
		out.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) entries.size())
				.putShort((short) entries.size()).putInt(directorySize).putInt(directory).putShort((short) 0);
		return java.util.Arrays.copyOf(out.array(), out.position());
	}

	/** Every entry's time: 2026-01-01 00:00 in MS-DOS form (a pass's files carry no meaningful time). */
	private static final short DOS_TIME = 0;
	private static final short DOS_DATE = (short) ((2026 - 1980) << 9 | 1 << 5 | 1);

	private byte[] sign(byte[] manifest) {
		try {
			ASN1EncodableVector signingTime = new ASN1EncodableVector();
			signingTime.add(new Attribute(CMSAttributes.signingTime, new DERSet(new DERUTCTime(new Date()))));
			CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
			generator.addSignerInfoGenerator(new SignerInfoGeneratorBuilder(digests)
					.setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new AttributeTable(signingTime)))
					.build(new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(key), signer));
			generator.addCertificates(certificates);
			return generator.generate(new CMSProcessableByteArray(manifest), false).getEncoded();
		}
		catch (OperatorCreationException | CMSException | IOException e) {
			throw new IllegalStateException("The pass manifest could not be signed: " + e.getMessage(), e);
		}
	}

	static String sha1(byte[] content) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(content));
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}
}
