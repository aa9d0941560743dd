package org.releaseengine.worker;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.Set;
import org.releaseengine.SearchAttributesKeys;

/** Registers the engine's custom search attributes on the namespace when they are missing. */
final class SearchAttributeRegistrar {

  private SearchAttributeRegistrar() {}

  static void ensureRegistered(WorkflowServiceStubs service, String namespace) {
    OperatorServiceStubs operator =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder()
                .setChannel(service.getRawChannel())
                // the raw channel carries TLS; the API key is added per call, so pass it on
                .setGrpcMetadataProviders(service.getOptions().getGrpcMetadataProviders())
                .validateAndBuildWithDefaults());
    Set<String> existing = existing(operator, namespace);
    AddSearchAttributesRequest.Builder add =
        AddSearchAttributesRequest.newBuilder().setNamespace(namespace);
    for (var key : SearchAttributesKeys.ALL) {
      if (!existing.contains(key.getName())) {
        add.putSearchAttributes(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
      }
    }
    if (add.getSearchAttributesCount() == 0) {
      return;
    }
    try {
      operator.blockingStub().addSearchAttributes(add.build());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
        throw e;
      }
    }
  }

  private static Set<String> existing(OperatorServiceStubs operator, String namespace) {
    try {
      return operator
          .blockingStub()
          .listSearchAttributes(
              ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build())
          .getCustomAttributesMap()
          .keySet();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
        return Set.of();
      }
      throw e;
    }
  }
}
