package dev.caravan.server;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Stream;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.modelmbean.ModelMBean;
import javax.management.modelmbean.ModelMBeanAttributeInfo;
import javax.management.modelmbean.ModelMBeanConstructorInfo;
import javax.management.modelmbean.ModelMBeanInfo;
import javax.management.modelmbean.ModelMBeanInfoSupport;
import javax.management.modelmbean.ModelMBeanNotificationInfo;
import javax.management.modelmbean.ModelMBeanOperationInfo;
import javax.management.modelmbean.RequiredModelMBean;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.ManagementMBeanAssembler;
import org.apache.camel.support.management.DefaultManagementMBeanAssembler;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Camel's MBeans with one copy of each class's attribute and operation descriptions instead of one per MBean.
 *
 * <p>Camel builds every MBean a fresh description of ~140 attributes and operations, each with its own descriptor:
 * ~45 KB of heap per route, two thirds of the live heap of a server with 2,000 connections. The descriptions of MBeans of
 * one managed class are equal, and a model MBean only reads them (it writes a descriptor only to cache values, with a
 * {@code currencyTimeLimit} that Camel does not set), so MBeans of one class share the first one's. An MBean whose
 * description differs from the shared one, or that would cache values, keeps its own.
 */
final class SharedMBeanInfoAssembler extends ServiceSupport implements ManagementMBeanAssembler {
    private static final String CURRENCY_TIME_LIMIT = "currencyTimeLimit";
    private final DefaultManagementMBeanAssembler camel;
    private final ConcurrentMap<String, ModelMBeanInfo> shared = new ConcurrentHashMap<>();

    SharedMBeanInfoAssembler(CamelContext context) {
        this.camel = new DefaultManagementMBeanAssembler(context);
    }

    @Override
    public ModelMBean assemble(MBeanServer server, Object managed, ObjectName name) throws JMException {
        ModelMBean mbean = camel.assemble(server, managed, name);
        if (!(mbean instanceof RequiredModelMBean model)) {
            return mbean;
        }
        ModelMBeanInfo own = (ModelMBeanInfo) model.getMBeanInfo();
        if (cachesValues(own)) {
            return mbean;
        }
        ModelMBeanInfo first = shared.computeIfAbsent(managed.getClass().getName() + " " + own.getClassName(), key -> own);
        if (first != own && sameFeatures(first, own)) {
            model.setModelMBeanInfo(new ModelMBeanInfoSupport(own.getClassName(), own.getDescription(),
                    copy(first.getAttributes(), ModelMBeanAttributeInfo[].class), copy(first.getConstructors(), ModelMBeanConstructorInfo[].class),
                    copy(first.getOperations(), ModelMBeanOperationInfo[].class), copy(first.getNotifications(), ModelMBeanNotificationInfo[].class),
                    own.getMBeanDescriptor()));
        }
        return mbean;
    }

    /** The same feature objects in an array of the model type (the array is new, its elements are shared). */
    private static <T> T[] copy(Object[] features, Class<T[]> type) {
        return Arrays.copyOf(features, features.length, type);
    }

    /** Whether the MBean would write values into its descriptors (value caching): then it must keep its own. */
    private static boolean cachesValues(ModelMBeanInfo info) throws JMException {
        if (info.getMBeanDescriptor().getFieldValue(CURRENCY_TIME_LIMIT) != null) {
            return true;
        }
        return Stream.of(info.getAttributes(), info.getOperations()).flatMap(Arrays::stream)
                .anyMatch(feature -> feature.getDescriptor().getFieldValue(CURRENCY_TIME_LIMIT) != null);
    }

    private static boolean sameFeatures(ModelMBeanInfo a, ModelMBeanInfo b) {
        return Arrays.equals(a.getAttributes(), b.getAttributes()) && Arrays.equals(a.getOperations(), b.getOperations())
                && Arrays.equals(a.getConstructors(), b.getConstructors()) && Arrays.equals(a.getNotifications(), b.getNotifications());
    }

    @Override
    protected void doInit() throws Exception {
        camel.init();
    }

    @Override
    protected void doStart() throws Exception {
        camel.start();
    }

    @Override
    protected void doStop() throws Exception {
        camel.stop();
    }
}
