/*
 * Dataverse's OAI-PMH client library (io.gdcc XOAI service provider 5.2) against a repository, set up as Dataverse's
 * harvester sets it up (second granularity, the JDK HTTP client). One command per run; its result as JSON on stdout.
 * A failure is {"error": "<exception class>: <message>"} and exit status 3 (XOAI_TRACE=1: its stack on stderr).
 *
 * The library reads a record's metadata only through a transformer to its own element/field model: oai_dc with the
 * one it ships (KnownTransformer.OAI_DC), which keeps each dc element's text and xml:lang. `records` and `get` print
 * those, as {"name", "value", "lang"} (so they take oai_dc only).
 *
 *   java -cp <classpath> XoaiHarvest.java BASE_URL identify
 *   java -cp <classpath> XoaiHarvest.java BASE_URL formats
 *   java -cp <classpath> XoaiHarvest.java BASE_URL sets
 *   java -cp <classpath> XoaiHarvest.java BASE_URL identifiers PREFIX [SET|-] [FROM|-] [UNTIL|-]
 *   java -cp <classpath> XoaiHarvest.java BASE_URL records PREFIX [SET|-] [FROM|-] [UNTIL|-]
 *   java -cp <classpath> XoaiHarvest.java BASE_URL get PREFIX IDENTIFIER
 *   java -cp <classpath> XoaiHarvest.java BASE_URL harvest PREFIX [SET|-] [FROM|-]
 *
 * `harvest` goes as Dataverse's harvester goes: ListIdentifiers, then one GetRecord per header that is not deleted
 * (the deleted ones listed by their header alone).
 *
 * FROM and UNTIL are instants (2026-11-23T00:00:00Z).
 */
import io.gdcc.xoai.model.oaipmh.Granularity;
import io.gdcc.xoai.model.oaipmh.results.MetadataFormat;
import io.gdcc.xoai.model.oaipmh.results.Record;
import io.gdcc.xoai.model.oaipmh.results.Set;
import io.gdcc.xoai.model.oaipmh.results.record.Header;
import io.gdcc.xoai.model.oaipmh.verbs.Identify;
import io.gdcc.xoai.serviceprovider.ServiceProvider;
import io.gdcc.xoai.serviceprovider.client.OAIClient;
import io.gdcc.xoai.serviceprovider.model.Context;
import io.gdcc.xoai.serviceprovider.parameters.GetRecordParameters;
import io.gdcc.xoai.serviceprovider.parameters.ListIdentifiersParameters;
import io.gdcc.xoai.serviceprovider.parameters.ListRecordsParameters;
import io.gdcc.xoai.model.xoai.Element;
import io.gdcc.xoai.model.xoai.Field;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

public class XoaiHarvest {
  public static void main(String[] args) {
    String base = args[0];
    String command = args[1];
    OAIClient http = OAIClient.newBuilder().withBaseUrl(base).withRequestTimeout(Duration.ofSeconds(120)).build();
    Context context = new Context()
        .withBaseUrl(base)
        .withGranularity(Granularity.Second)
        .withOAIClient(http)
        .withMetadataTransformer("oai_dc", Context.KnownTransformer.OAI_DC);
    ServiceProvider sp = new ServiceProvider(context);
    try {
      System.out.println(run(sp, command, args));
    } catch (Exception e) {
      System.out.println("{\"error\":" + str(e.getClass().getSimpleName() + ": " + e.getMessage()) + "}");
      if (System.getenv("XOAI_TRACE") != null) e.printStackTrace();
      System.exit(3);
    }
  }

  static String run(ServiceProvider sp, String command, String[] a) throws Exception {
    switch (command) {
      case "identify": {
        Identify id = sp.identify();
        return "{\"repositoryName\":" + str(id.getRepositoryName()) + ",\"baseURL\":" + str(id.getBaseURL())
            + ",\"protocolVersion\":" + str(id.getProtocolVersion()) + ",\"earliestDatestamp\":" + str(String.valueOf(id.getEarliestDatestamp()))
            + ",\"granularity\":" + str(String.valueOf(id.getGranularity())) + ",\"deletedRecord\":" + str(String.valueOf(id.getDeletedRecord()))
            + ",\"adminEmails\":" + strs(id.getAdminEmails()) + "}";
      }
      case "formats": {
        List<String> out = new ArrayList<>();
        for (Iterator<MetadataFormat> it = sp.listMetadataFormats(); it.hasNext(); ) {
          MetadataFormat f = it.next();
          out.add("{\"prefix\":" + str(f.getMetadataPrefix()) + ",\"schema\":" + str(f.getSchema()) + ",\"namespace\":" + str(f.getMetadataNamespace()) + "}");
        }
        return "[" + String.join(",", out) + "]";
      }
      case "sets": {
        List<String> out = new ArrayList<>();
        for (Iterator<Set> it = sp.listSets(); it.hasNext(); ) {
          Set s = it.next();
          out.add("{\"spec\":" + str(s.getSpec()) + ",\"name\":" + str(s.getName()) + "}");
        }
        return "[" + String.join(",", out) + "]";
      }
      case "identifiers": {
        ListIdentifiersParameters p = ListIdentifiersParameters.request().withMetadataPrefix(a[2]);
        if (given(a, 3)) p.withSetSpec(a[3]);
        if (given(a, 4)) p.withFrom(Instant.parse(a[4]));
        if (given(a, 5)) p.withUntil(Instant.parse(a[5]));
        List<String> out = new ArrayList<>();
        for (Iterator<Header> it = sp.listIdentifiers(p); it.hasNext(); ) out.add(header(it.next()));
        return "[" + String.join(",", out) + "]";
      }
      case "records": {
        ListRecordsParameters p = ListRecordsParameters.request().withMetadataPrefix(a[2]);
        if (given(a, 3)) p.withSetSpec(a[3]);
        if (given(a, 4)) p.withFrom(Instant.parse(a[4]));
        if (given(a, 5)) p.withUntil(Instant.parse(a[5]));
        List<String> out = new ArrayList<>();
        for (Iterator<Record> it = sp.listRecords(p); it.hasNext(); ) out.add(record(it.next()));
        return "[" + String.join(",", out) + "]";
      }
      case "get": {
        Record r = sp.getRecord(GetRecordParameters.request().withMetadataFormatPrefix(a[2]).withIdentifier(a[3]));
        return record(r);
      }
      case "harvest": {
        ListIdentifiersParameters p = ListIdentifiersParameters.request().withMetadataPrefix(a[2]);
        if (given(a, 3)) p.withSetSpec(a[3]);
        if (given(a, 4)) p.withFrom(Instant.parse(a[4]));
        List<String> out = new ArrayList<>();
        for (Iterator<Header> it = sp.listIdentifiers(p); it.hasNext(); ) {
          Header h = it.next();
          if (h.isDeleted()) out.add("{\"header\":" + header(h) + ",\"dc\":null}");
          else out.add(record(sp.getRecord(GetRecordParameters.request().withMetadataFormatPrefix(a[2]).withIdentifier(h.getIdentifier()))));
        }
        return "[" + String.join(",", out) + "]";
      }
      default:
        throw new IllegalArgumentException("unknown command " + command);
    }
  }

  static boolean given(String[] a, int i) {
    return a.length > i && !a[i].equals("-");
  }

  static String header(Header h) {
    return "{\"identifier\":" + str(h.getIdentifier()) + ",\"datestamp\":" + str(String.valueOf(h.getDatestamp()))
        + ",\"deleted\":" + h.isDeleted() + ",\"sets\":" + strs(h.getSetSpecs()) + "}";
  }

  /** The header, and the dc elements of the metadata as the library read them (null for a deleted record). */
  static String record(Record r) {
    if (r.getMetadata() == null) return "{\"header\":" + header(r.getHeader()) + ",\"dc\":null}";
    List<String> out = new ArrayList<>();
    for (Element root : r.getMetadata().getXoaiMetadata().getElements())
      for (Element e : root.getElements()) {
        String value = null, lang = null;
        for (Field f : e.getFields()) {
          if ("value".equals(f.getName())) value = f.getValue();
          else if ("xml:lang".equals(f.getName())) lang = f.getValue();
        }
        out.add("{\"root\":" + str(root.getName()) + ",\"name\":" + str(e.getName()) + ",\"value\":" + str(value) + ",\"lang\":" + str(lang) + "}");
      }
    return "{\"header\":" + header(r.getHeader()) + ",\"dc\":[" + String.join(",", out) + "]}";
  }

  static String strs(List<String> xs) {
    List<String> out = new ArrayList<>();
    if (xs != null) for (String x : xs) out.add(str(x));
    return "[" + String.join(",", out) + "]";
  }

  /** A JSON string. */
  static String str(String s) {
    if (s == null) return "null";
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }
}
