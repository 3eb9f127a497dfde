package dev.caravan.server;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Stream;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.modelmbean.InvalidTargetObjectTypeException;
import javax.management.modelmbean.ModelMBean;
import javax.management.modelmbean.ModelMBeanAttributeInfo;
import javax.management.modelmbean.ModelMBeanConstructorInfo;
import javax.management.modelmbean.ModelMBeanInfo;
import javax.management.modelmbean.ModelMBeanInfoSupport;
import javax.management.modelmbean.ModelMBeanNotificationInfo;
import javax.management.modelmbean.ModelMBeanOperationInfo;
import javax.management.modelmbean.RequiredModelMBean;
import org.apache.camel.CamelContext;
import org.apache.camel.api.management.ManagedInstance;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.api.management.NotificationSenderAware;
import org.apache.camel.spi.ManagementMBeanAssembler;
import org.apache.camel.support.management.DefaultManagementMBeanAssembler;
import org.apache.camel.support.management.MixinRequiredModelMBean;
import org.apache.camel.support.management.NotificationSenderAdapter;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.util.ObjectHelper;

/**
 * Camel's MBeans with one copy of each class's attribute and operation descriptions instead of one per MBean.
 *
 * <p>Camel builds every MBean a fresh description of ~140 attributes and operations, each with its own descriptor:
 * ~45 KB of heap per route, two thirds of the live heap of a server with 2,000 connections. The descriptions of MBeans of
 * one managed class are equal, and a model MBean only reads them (it writes a descriptor only to cache values, with a
 * {@code currencyTimeLimit} that Camel does not set), so MBeans of one class share the first one's. An MBean whose
 * description differs from the shared one, or that would cache values, keeps its own.
 *
 * <p>Camel's description depends only on the managed object's class (its annotations), unless the object wraps an
 * annotated one ({@link ManagedInstance}): for the others, the MBeans after the first of a class are built from the
 * shared description directly, as Camel would build them, without assembling it again (reflection over ~140
 * annotated methods: ~3 ms per route MBean, a third of the start of the REST API's routes).
 */
final class SharedMBeanInfoAssembler extends ServiceSupport implements ManagementMBeanAssembler {
    private static final String CURRENCY_TIME_LIMIT = "currencyTimeLimit";
    private final DefaultManagementMBeanAssembler camel;
    private final ConcurrentMap<String, ModelMBeanInfo> shared = new ConcurrentHashMap<>();
    /** The shared description of each class whose MBeans Camel describes from the class alone. */
    private final ConcurrentMap<Class<?>, ModelMBeanInfo> byClass = new ConcurrentHashMap<>();
    private final CamelContext context;

    SharedMBeanInfoAssembler(CamelContext context) {
        this.context = context;
        this.camel = new DefaultManagementMBeanAssembler(context);
    }

    @Override
    public ModelMBean assemble(MBeanServer server, Object managed, ObjectName name) throws JMException {
        boolean plain = !hasManagedInstance(managed);
        if (plain) {
            ModelMBeanInfo known = byClass.get(managed.getClass());
            if (known != null) {
                return mbeanOf(known, managed);
            }
        }
        ModelMBean mbean = camel.assemble(server, managed, name);
        if (!(mbean instanceof RequiredModelMBean model)) {
            return mbean;
        }
        ModelMBeanInfo own = (ModelMBeanInfo) model.getMBeanInfo();
        if (cachesValues(own)) {
            return mbean;
        }
        ModelMBeanInfo first = shared.computeIfAbsent(managed.getClass().getName() + " " + own.getClassName(), key -> own);
        if (first == own) {
            if (plain) {
                byClass.putIfAbsent(managed.getClass(), own);
            }
        } else if (sameFeatures(first, own)) {
            model.setModelMBeanInfo(new ModelMBeanInfoSupport(own.getClassName(), own.getDescription(),
                    copy(first.getAttributes(), ModelMBeanAttributeInfo[].class), copy(first.getConstructors(), ModelMBeanConstructorInfo[].class),
                    copy(first.getOperations(), ModelMBeanOperationInfo[].class), copy(first.getNotifications(), ModelMBeanNotificationInfo[].class),
                    own.getMBeanDescriptor()));
        }
        return mbean;
    }

    /**
     * Whether Camel would describe {@code managed} by a second, annotated object it wraps (then its MBean mixes two
     * descriptions, and Camel assembles it each time).
     */
    private static boolean hasManagedInstance(Object managed) {
        if (managed instanceof ManagedInstance instance) {
            Object custom = instance.getInstance();
            return custom != null && ObjectHelper.hasAnnotation(custom.getClass().getAnnotations(), ManagedResource.class);
        }
        return false;
    }

    /** The MBean Camel would assemble for {@code managed}, from the description of its class (the same for every instance). */
    private ModelMBean mbeanOf(ModelMBeanInfo info, Object managed) throws JMException {
        Boolean mask = context.getManagementStrategy().getManagementAgent().getMask();
        RequiredModelMBean mbean = new MixinRequiredModelMBean(info, Boolean.TRUE.equals(mask), null, null);
        try {
            mbean.setManagedResource(managed, "ObjectReference");
        } catch (InvalidTargetObjectTypeException e) {
            throw new JMException(e.getMessage());
        }
        if (managed instanceof NotificationSenderAware aware) {
            aware.setNotificationSender(new NotificationSenderAdapter(mbean));
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
