package org.releaseengine;

import io.temporal.common.SearchAttributeKey;
import java.util.List;

/** The custom search attributes `release-cli list` and the Temporal UI filter on (all keywords). */
public final class SearchAttributesKeys {

  public static final SearchAttributeKey<String> SERVICE =
      SearchAttributeKey.forKeyword("ReleaseService");
  public static final SearchAttributeKey<String> SHA = SearchAttributeKey.forKeyword("ReleaseSha");
  public static final SearchAttributeKey<String> STATE =
      SearchAttributeKey.forKeyword("ReleaseState");
  public static final SearchAttributeKey<String> ENVIRONMENT =
      SearchAttributeKey.forKeyword("ReleaseEnvironment");

  public static final List<SearchAttributeKey<String>> ALL =
      List.of(SERVICE, SHA, STATE, ENVIRONMENT);

  private SearchAttributesKeys() {}
}
